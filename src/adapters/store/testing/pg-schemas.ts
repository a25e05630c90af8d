import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Schemas of PostgreSQL tests: `efact_test_t<unix seconds>_<random>`, so that their age can be
 * read from the name. Tests share one database (several test files, several checkouts at once),
 * so a schema is only ever dropped by the test that made it, or by the sweep once it is old
 * enough that no test can still be using it (every test is bounded to a minute).
 */
const PREFIX = 'efact_test_t';
const STAMPED = /^efact_test_t(\d{9,11})_[0-9a-f]+$/;
/** Far longer than any test, hook or test file may run. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export function newTestSchema(now = Date.now()): string {
  return `${PREFIX}${Math.floor(now / 1000)}_${randomBytes(6).toString('hex')}`;
}

/** When a test schema was made, from its name; null for a name without a stamp. */
export function testSchemaCreatedAt(name: string): Date | null {
  const m = STAMPED.exec(name);
  return m ? new Date(Number(m[1]) * 1000) : null;
}

/** Drops the named schemas through a connection of its own. */
export async function dropTestSchemas(url: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of names) await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Drops stamped test schemas older than STALE_AFTER_MS (left by runs that were killed or crashed
 * before their cleanup). Unstamped and recent ones are never touched: another test file may be
 * using them right now. Returns the names dropped.
 */
export async function sweepStaleTestSchemas(url: string, now = Date.now()): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ name: string }>(`select nspname as name from pg_catalog.pg_namespace where nspname like 'efact\\_test\\_t%'`);
    const stale = found.rows
      .map((r) => r.name)
      .filter((name) => {
        const at = testSchemaCreatedAt(name);
        return at !== null && now - at.getTime() > STALE_AFTER_MS;
      });
    for (const name of stale) await client.query(`drop schema if exists "${name}" cascade`);
    return stale;
  } finally {
    await client.end();
  }
}
