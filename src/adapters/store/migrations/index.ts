import { Migrator, type Kysely, type Migration } from 'kysely';
import { EfactError } from '../../../domain/errors.js';
import type { DialectName } from '../dialect.js';
import { initialSchema } from './0001-initial.js';
import { serverRegistry } from './0002-server-registry.js';
import { rateGovernorSchema } from './0003-rate-governor.js';
import { secretsOAuthSchema } from './0004-secrets-oauth.js';
import { erpFoldersSchema } from './0006-erp-folders.js';
import { gridIndexes } from './0007-grid-indexes.js';
import { accessSchema } from './0008-access.js';
import { leasesQuotaDaysSchema } from './0009-leases-quota-days.js';
import { signInFailuresSchema } from './0011-sign-in-failures.js';
import { COLUMN_TYPES } from './column-types.js';

/** Names sort in the order they run; never rename or edit one that has shipped, add a new one. */
function migrations(dialect: DialectName): Record<string, Migration> {
  const t = COLUMN_TYPES[dialect];
  return {
    '0001-initial': initialSchema(t),
    '0002-server-registry': serverRegistry(),
    // The shared rate governor lives in PostgreSQL only; a SQLite instance keeps it in memory.
    ...(dialect === 'postgres' ? { '0003-rate-governor': rateGovernorSchema() } : {}),
    '0004-secrets-oauth': secretsOAuthSchema(),
    '0006-erp-folders': erpFoldersSchema(t),
    '0007-grid-indexes': gridIndexes,
    '0008-access': accessSchema(t),
    '0009-leases-quota-days': leasesQuotaDaysSchema(dialect),
    '0011-sign-in-failures': signInFailuresSchema,
  };
}

/**
 * Every migration's name, in the order they run (tests compare the bookkeeping table with it).
 * Kysely's Migrator runs them sorted by name whatever the order of the object's keys, so sort
 * here too: a merge that lists one out of place must not make this list disagree with reality.
 */
export function migrationNames(dialect: DialectName): string[] {
  return Object.keys(migrations(dialect)).sort();
}

/**
 * Applies pending migrations; Kysely's Migrator records them in `efact_migrations`. On SQLite
 * the whole run is one BEGIN IMMEDIATE transaction (see sqlite-driver.ts), which serialises
 * runners across processes. On PostgreSQL the caller holds an advisory lock around this call
 * (postgres.ts) and the run itself is one transaction (transactional DDL); `schema` names where
 * the bookkeeping tables live, so that a database holding several efact schemas never mistakes
 * another schema's `efact_migrations` for this one's. Running it again is a no-op.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    migrationTableName: 'efact_migrations',
    migrationLockTableName: 'efact_migrations_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EfactError('INTERNAL', `store migration ${failed ?? ''} failed: ${reason}`, { cause: error });
  }
}
