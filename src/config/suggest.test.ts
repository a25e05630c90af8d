import { describe, expect, it } from 'vitest';
import { closestKey, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('port', 'port')).toBe(0);
    expect(editDistance('pacingSecond', 'pacingSeconds')).toBe(1);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('hots', 'host')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestKey', () => {
  const keys = ['host', 'port', 'pacingSeconds', 'windowDays', 'environment'];
  it('finds the intended key, ignoring case', () => {
    expect(closestKey('PORT', keys)).toBe('port');
    expect(closestKey('enviroment', keys)).toBe('environment');
    expect(closestKey('windowdays', keys)).toBe('windowDays');
  });
  it('suggests nothing when nothing is close', () => {
    expect(closestKey('flavour', keys)).toBeNull();
    expect(closestKey('ab', keys)).toBeNull();
  });
});
