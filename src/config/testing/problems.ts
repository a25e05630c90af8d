/** What the configuration tests share. */
import { expect } from 'vitest';
import { EfactError } from '../../domain/errors.js';

/** The problems listed by the INVALID_CONFIG error that `fn` throws; fails when it throws none. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EfactError);
    expect((e as EfactError).code).toBe('INVALID_CONFIG');
    return (e as EfactError).details!.problems as string[];
  }
  throw new Error('expected an INVALID_CONFIG error');
}
