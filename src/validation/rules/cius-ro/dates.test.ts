import { expect, test } from 'vitest';
import { isCalendarDate } from './dates.js';

test('YYYY-MM-DD with a real day (xs:date as BR-RO-DT* use it)', () => {
  expect(isCalendarDate('2026-03-10')).toBe(true);
  expect(isCalendarDate('2024-02-29')).toBe(true);
  expect(isCalendarDate('2000-02-29')).toBe(true);
  expect(isCalendarDate('1900-02-29')).toBe(false);
  expect(isCalendarDate('2026-02-29')).toBe(false);
  expect(isCalendarDate('2026-04-31')).toBe(false);
  expect(isCalendarDate('2026-13-01')).toBe(false);
  expect(isCalendarDate('2026-00-10')).toBe(false);
  expect(isCalendarDate('10.03.2026')).toBe(false);
  expect(isCalendarDate('2026-3-10')).toBe(false);
});
