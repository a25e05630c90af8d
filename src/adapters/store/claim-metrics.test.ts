import { describe, expect, it } from 'vitest';
import { observeClaims, timedClaim, type ClaimSample } from './claim-metrics.js';

describe('claim metrics', () => {
  it('reports each claim to the observers while they listen, with what it took', async () => {
    const seen: ClaimSample[] = [];
    const stop = observeClaims((s) => seen.push(s));
    expect(await timedClaim('upload', async () => [1, 2, 3])).toEqual([1, 2, 3]);
    stop();
    await timedClaim('upload', async () => [4]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'upload', claimed: 3 });
    expect(seen[0]!.ms).toBeGreaterThanOrEqual(0);
  });

  it('passes a failing claim through untouched and reports nothing', async () => {
    const seen: ClaimSample[] = [];
    const stop = observeClaims((s) => seen.push(s));
    await expect(timedClaim('upload', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    stop();
    expect(seen).toEqual([]);
  });
});
