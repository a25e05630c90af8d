import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS, newTestSchema, testSchemaCreatedAt } from './pg-schemas.js';

describe('test schema names', () => {
  it('carry their creation second, and fit a plain PostgreSQL identifier', () => {
    const at = Date.UTC(2026, 11, 2, 16, 0, 0);
    const name = newTestSchema(at);
    expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    expect(testSchemaCreatedAt(name)).toEqual(new Date(at));
    expect(STALE_AFTER_MS).toBeGreaterThanOrEqual(60 * 60 * 1000);
  });

  it('give no age for names the sweep must leave alone', () => {
    expect(testSchemaCreatedAt('efact_test_0a1b2c3d4e5f')).toBeNull();
    expect(testSchemaCreatedAt('efact_test_t12_ab')).toBeNull();
    expect(testSchemaCreatedAt('public')).toBeNull();
    expect(testSchemaCreatedAt('efact_test_t1796228276_2936d26f06cf_x')).toBeNull();
  });
});
