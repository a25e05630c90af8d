import { describe, expect, it } from 'vitest';
import { anafDay, formatAnafDateTime, formatAnafMinute, fromBucharest, nextAnafDayStart, parseAnafMinute } from './time.js';

describe('Bucharest time', () => {
  it('formats summer (UTC+3) and winter (UTC+2) instants', () => {
    expect(formatAnafMinute(new Date('2026-07-01T09:05:00Z'))).toBe('202607011205');
    expect(formatAnafMinute(new Date('2026-11-23T22:30:00Z'))).toBe('202611240030');
    expect(formatAnafDateTime(new Date('2026-11-23T22:30:07Z'))).toBe('24-11-2026 00:30:07');
  });

  it('crosses the DST changes on the right hour', () => {
    // 2026-03-29 03:00 local → 04:00 (00:59:59Z is still winter time, 01:00Z is summer time)
    expect(formatAnafMinute(new Date('2026-03-29T00:59:00Z'))).toBe('202603290259');
    expect(formatAnafMinute(new Date('2026-03-29T01:00:00Z'))).toBe('202603290400');
    // 2026-10-25 04:00 local → 03:00
    expect(formatAnafMinute(new Date('2026-10-25T00:59:00Z'))).toBe('202610250359');
    expect(formatAnafMinute(new Date('2026-10-25T01:00:00Z'))).toBe('202610250300');
  });

  it('round-trips ANAF minutes and finds the next ANAF day', () => {
    const d = parseAnafMinute('202210311452')!;
    expect(d.toISOString()).toBe('2022-10-31T12:52:00.000Z');
    expect(formatAnafMinute(d)).toBe('202210311452');
    expect(parseAnafMinute('2022-10-31')).toBeNull();
    expect(anafDay(new Date('2026-11-23T22:30:00Z'))).toBe('2026-11-24');
    expect(nextAnafDayStart(new Date('2026-11-23T21:59:00Z')).toISOString()).toBe('2026-11-23T22:00:00.000Z');
    expect(nextAnafDayStart(new Date('2026-03-28T23:00:00Z')).toISOString()).toBe(fromBucharest(2026, 3, 30).toISOString());
    expect(fromBucharest(2026, 3, 30).toISOString()).toBe('2026-03-29T21:00:00.000Z');
  });
});
