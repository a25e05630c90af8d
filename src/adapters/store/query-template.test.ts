import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite.js';
import { QueryTemplate, TemplateCache } from './query-template.js';

describe('QueryTemplate', () => {
  it('compiles once and binds values by name, keeping constants in place', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    try {
      const t = QueryTemplate.compile(['id', 'value'] as const, (slot) =>
        store.db
          .updateTable('engine_state')
          .set({ value: slot('value'), updated_at: 7 })
          .where('key', '=', slot('id'))
          .returningAll(),
      );
      const a = t.bind({ id: 'k1', value: 'v1' });
      const b = t.bind({ id: 'k2', value: 'v2' });
      expect(a.sql).toBe(b.sql);
      expect(a.parameters).toEqual(['v1', 7, 'k1']);
      expect(b.parameters).toEqual(['v2', 7, 'k2']);
      await store.setState('k1', 'old');
      const result = await store.db.executeQuery(a);
      expect(result.rows).toEqual([{ key: 'k1', value: 'v1', updated_at: 7 }]);
    } finally {
      await store.close();
    }
  });

  it('refuses a template that leaves a named value out, or names one it does not have', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    try {
      expect(() =>
        QueryTemplate.compile(['id', 'forgotten'] as const, (slot) => store.db.selectFrom('engine_state').selectAll().where('key', '=', slot('id'))),
      ).toThrow(/forgotten/);
      expect(() =>
        QueryTemplate.compile(['id'] as string[], (slot) => store.db.selectFrom('engine_state').selectAll().where('key', '=', slot('other'))),
      ).toThrow(/other/);
    } finally {
      await store.close();
    }
  });

  it('builds each shape once', () => {
    const cache = new TemplateCache();
    let built = 0;
    const make = () => {
      built += 1;
      return {} as QueryTemplate<'x'>;
    };
    const first = cache.get('a', make);
    expect(cache.get('a', make)).toBe(first);
    cache.get('b', make);
    expect(built).toBe(2);
  });
});
