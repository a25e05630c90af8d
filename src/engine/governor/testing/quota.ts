/** What the rate governor tests (memory and PostgreSQL) share. */
import { expect } from 'vitest';
import { EfactError } from '../../../domain/errors.js';

/** The quota error `p` rejects with; fails when it resolves or rejects with anything else. */
export async function expectQuota(p: Promise<void>): Promise<EfactError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EfactError);
    expect((e as EfactError).kind).toBe('quota');
    return e as EfactError;
  }
  throw new Error('expected a quota error');
}
