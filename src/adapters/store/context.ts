import type { Kysely } from 'kysely';
import type { DialectTraits } from './dialect.js';
import type { TemplateCache } from './query-template.js';
import type { StoreSchema } from './schema.js';

/** What every query module receives: plain arguments, no hidden globals. */
export interface StoreContext {
  db: Kysely<StoreSchema>;
  traits: DialectTraits;
  /** The time written on rows and events (injectable so tests can move it). */
  now(): Date;
  /** Hot-path queries compiled once per shape (query-template.ts). */
  templates: TemplateCache;
}

/** A Kysely handle inside or outside a transaction; query helpers accept either. */
export type Db = Kysely<StoreSchema>;
