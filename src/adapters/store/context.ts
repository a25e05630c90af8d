import type { Kysely } from 'kysely';
import type { EfactError } from '../../domain/errors.js';
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
  /** The server this handle registered as (registry.ts); null for the CLI and tests that never register. */
  session: ServerSession | null;
}

/** What a registered handle knows of its own registration. */
export interface ServerSession {
  serverId: number;
  fencingToken: number;
  filter: string | null;
  leaseMs: number;
  /** Set once the registration is lost (taken over, removed, stopped): every later write throws it. */
  fenced: EfactError | null;
  /**
   * Work committed since the last heartbeat, added to the registration row by the next heartbeat
   * or the deregistration (registry.ts): a crash loses at most one heartbeat interval of it.
   */
  pending: { claimed: number; uploaded: number };
}

/** A Kysely handle inside or outside a transaction; query helpers accept either. */
export type Db = Kysely<StoreSchema>;
