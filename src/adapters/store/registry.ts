/**
 * The server registry over the `servers` table (migration 0002): registration with a lease,
 * heartbeats, fencing, listing and re-alignment. A handle that registered keeps its session in
 * the StoreContext; `fenceWrite` is called inside every engine write transaction (claims,
 * transitions, attempt records) and refuses it when the registration is no longer this handle's.
 */
import { sql, type Selectable } from 'kysely';
import { EfactError } from '../../domain/errors.js';
import { parseOptionalPartitionFilter } from '../../domain/partition-filter/index.js';
import {
  checkSeat,
  isLive,
  serverIdInUse,
  type RegisterServerInput,
  type ServerRegistration,
} from '../../domain/server-registry.js';
import type { RemovedRegistration } from '../../ports/server-registry.js';
import type { Db, ServerSession, StoreContext } from './context.js';
import type { DialectTraits } from './dialect.js';
import { date, dateOrNull, millis, num } from './rows.js';
import type { ServersTable } from './schema.js';

/** engine_state key of the fencing-token counter: never reset, so a removed row's token is never handed out again. */
const TOKEN_KEY = 'server-registry.fencing-token';

export function registrationFromRow(row: Selectable<ServersTable>): ServerRegistration {
  return {
    serverId: num(row.server_id),
    fencingToken: num(row.fencing_token),
    host: row.host,
    pid: num(row.pid),
    filter: row.filter,
    startedAt: date(row.started_at),
    heartbeatAt: date(row.heartbeat_at),
    leaseUntil: date(row.lease_until),
    stoppedAt: dateOrNull(row.stopped_at),
    claimed: num(row.claimed),
    uploaded: num(row.uploaded),
  };
}

/** The filter text as stored: trimmed, null when empty; refused (column-precise) when it does not parse. */
function checkedFilter(filter: string | null): string | null {
  if (filter === null) return null;
  return parseOptionalPartitionFilter(filter) === null ? null : filter.trim();
}

/**
 * PostgreSQL: the transaction-scoped advisory lock of server `id` in this schema. Writes of the
 * registered instance hold it shared (fenceWrite); whatever changes who holds the id (register
 * or take over, deregister, removal by sync) holds it exclusive. The lock manager queues a
 * waiting exclusive request ahead of later shared ones, so a busy instance cannot starve a
 * takeover. SQLite: nothing, its single writer already serialises.
 */
export async function lockServer(db: Db, traits: DialectTraits, id: number, mode: 'shared' | 'exclusive'): Promise<void> {
  if (!traits.rowLocks) return;
  const fn = sql.raw(mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock');
  await sql`select ${fn}(hashtextextended('efact.server.' || current_schema() || '.' || ${String(id)}::text, 0))`.execute(db);
}

async function nextToken(db: Db, at: number): Promise<number> {
  const row = await db
    .insertInto('engine_state')
    .values({ key: TOKEN_KEY, value: '1', updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: sql<string>`cast(cast(engine_state.value as bigint) + 1 as text)`, updated_at: at }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function registerServer(ctx: StoreContext, input: RegisterServerInput): Promise<ServerRegistration> {
  checkSeat(input.serverId, input.seats);
  if (!(Number.isFinite(input.leaseMs) && input.leaseMs > 0)) {
    throw new EfactError('INVALID_CONFIG', `the server lease must be a positive duration, got ${input.leaseMs} ms`);
  }
  const filter = checkedFilter(input.filter);
  const id = input.serverId;
  const now = ctx.now();
  const at = millis(now);
  const registration = await ctx.db.transaction().execute(async (trx) => {
    // Two instances registering the same new id at once: no row to lock yet, so lock the id. The
    // same lock waits for the old holder's fenced writes in flight (fenceWrite).
    await lockServer(trx, ctx.traits, id, 'exclusive');
    const existing = await trx.selectFrom('servers').selectAll().where('server_id', '=', id).executeTakeFirst();
    if (existing !== undefined) {
      const holder = registrationFromRow(existing);
      if (isLive(holder, now) && input.takeover !== true && input.holderIsGone?.(holder) !== true) throw serverIdInUse(id, holder);
    }
    const token = await nextToken(trx, at);
    const values = {
      fencing_token: token,
      host: input.host,
      pid: input.pid,
      filter,
      started_at: at,
      heartbeat_at: at,
      lease_until: at + Math.ceil(input.leaseMs),
      stopped_at: null,
      claimed: 0,
      uploaded: 0,
    };
    const row =
      existing === undefined
        ? await trx.insertInto('servers').values({ server_id: id, ...values }).returningAll().executeTakeFirstOrThrow()
        : await trx.updateTable('servers').set(values).where('server_id', '=', id).returningAll().executeTakeFirstOrThrow();
    return registrationFromRow(row);
  });
  ctx.session = { serverId: id, fencingToken: registration.fencingToken, filter, leaseMs: input.leaseMs, fenced: null, pending: { claimed: 0, uploaded: 0 } };
  return registration;
}

/** Why a write or heartbeat of `session` was refused, read from what the registry holds now. */
async function explainFence(db: Db, session: ServerSession): Promise<EfactError> {
  const row = await db.selectFrom('servers').selectAll().where('server_id', '=', session.serverId).executeTakeFirst();
  const id = session.serverId;
  const mine = session.fencingToken;
  let message: string;
  if (row === undefined) {
    message = `server ${id}: its registration was removed (efact servers sync, or the seats were reduced); this instance stops working`;
  } else {
    const now = registrationFromRow(row);
    message =
      now.fencingToken !== mine
        ? `server ${id} was taken over by another instance (host ${now.host}, pid ${now.pid}, registered ${now.startedAt.toISOString()}): ` +
          `this instance's fencing token ${mine} is no longer current (now ${now.fencingToken}), so it stops working`
        : `server ${id} was deregistered (stopped at ${now.stoppedAt?.toISOString() ?? '?'}); this instance writes no more`;
  }
  return new EfactError('FENCED', message, { details: { serverId: id, fencingToken: mine } });
}

async function fence(db: Db, ctx: StoreContext, session: ServerSession): Promise<EfactError> {
  const err = await explainFence(db, session);
  // The session may have been replaced by a new registration meanwhile; fence only the one that failed.
  if (ctx.session === session) session.fenced = err;
  return err;
}

/** Fails fast, without a query, once the handle knows it lost its registration. */
export function assertNotFenced(ctx: StoreContext): void {
  if (ctx.session?.fenced) throw ctx.session.fenced;
}

/**
 * Inside a write transaction of a registered handle: refuses it (FENCED, the transaction rolls
 * back) unless the registration row still carries this handle's fencing token. On PostgreSQL the
 * check runs under the server's advisory lock held shared until commit (lockServer), and in its
 * own statement after it, so its snapshot is taken once the lock is held: a takeover, stop or
 * removal either committed before (the check sees it and refuses this write) or waits for this
 * write to commit (and the new owner sees it).
 *
 * Why not lock or update the row itself: an UPDATE of the row (as this did before, adding the
 * work counters) queued every write transaction of the instance behind one row lock and wrote
 * a row version each time; a FOR SHARE lock lets writes run side by side but makes the heartbeat
 * and a takeover (row updates) wait for a gap in a steady stream of share lockers (measured in a
 * micro-benchmark: 0.4 s to 7 s). Shared advisory locks do not touch the row, heartbeats never
 * wait for them, and the lock manager serves a waiting takeover before later writes.
 * SQLite has one writer at a time (BEGIN IMMEDIATE): the plain read is as safe.
 *
 * Call it last, to hold the lock briefly. Returns the session checked (null when the handle
 * never registered), to credit with `countWork` once the transaction committed.
 */
export async function fenceWrite(db: Db, ctx: StoreContext): Promise<ServerSession | null> {
  const session = ctx.session;
  if (session === null) return null;
  if (session.fenced) throw session.fenced;
  await lockServer(db, ctx.traits, session.serverId, 'shared');
  const row = await db
    .selectFrom('servers')
    .select('server_id')
    .where('server_id', '=', session.serverId)
    .where('fencing_token', '=', session.fencingToken)
    .where('stopped_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw await fence(db, ctx, session);
  return session;
}

/**
 * Adds committed work to the session's counters, which the next heartbeat (or deregistration)
 * adds to the registration row. Counted in memory rather than in the fenced transaction so that
 * writes never update the shared row: a crash loses up to one heartbeat interval of these
 * counters (display only, `efact servers`), never anything the invoices depend on.
 */
export function countWork(session: ServerSession | null, work: { claimed?: number; uploaded?: number }): void {
  if (session === null) return;
  session.pending.claimed += work.claimed ?? 0;
  session.pending.uploaded += work.uploaded ?? 0;
}

/** The pending counters as a row increment, and a way to take off what the row received. */
function flushWork(session: ServerSession) {
  const { claimed, uploaded } = session.pending;
  return {
    set: { claimed: sql<number>`claimed + ${claimed}`, uploaded: sql<number>`uploaded + ${uploaded}` },
    // Subtract rather than zero: writes that committed while the update ran stay pending.
    done() {
      session.pending.claimed -= claimed;
      session.pending.uploaded -= uploaded;
    },
  };
}

export async function heartbeat(ctx: StoreContext): Promise<ServerRegistration> {
  const session = ctx.session;
  if (session === null) throw new EfactError('INVALID_REQUEST', 'heartbeat without a registration: register the server first');
  if (session.fenced) throw session.fenced;
  const at = millis(ctx.now());
  const work = flushWork(session);
  const row = await ctx.db
    .updateTable('servers')
    .set({ heartbeat_at: at, lease_until: at + Math.ceil(session.leaseMs), ...work.set })
    .where('server_id', '=', session.serverId)
    .where('fencing_token', '=', session.fencingToken)
    .where('stopped_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw await fence(ctx.db, ctx, session);
  work.done();
  return registrationFromRow(row);
}

/** A clean stop: the row is marked stopped, with the work counted since the last heartbeat. */
export async function deregisterServer(ctx: StoreContext): Promise<void> {
  const session = ctx.session;
  if (session === null || session.fenced) return;
  const at = millis(ctx.now());
  const work = flushWork(session);
  await ctx.db.transaction().execute(async (trx) => {
    // Waits for this instance's writes in flight; later ones find the row stopped.
    await lockServer(trx, ctx.traits, session.serverId, 'exclusive');
    await trx
      .updateTable('servers')
      .set({ stopped_at: at, lease_until: at, ...work.set })
      .where('server_id', '=', session.serverId)
      .where('fencing_token', '=', session.fencingToken)
      .execute();
  });
  work.done();
  session.fenced = new EfactError('FENCED', `server ${session.serverId} stopped; it writes no more`, { details: { serverId: session.serverId } });
}

export function currentServer(ctx: StoreContext): { serverId: number; fencingToken: number; filter: string | null } | null {
  const s = ctx.session;
  return s === null || s.fenced ? null : { serverId: s.serverId, fencingToken: s.fencingToken, filter: s.filter };
}

export async function listServers(ctx: StoreContext): Promise<ServerRegistration[]> {
  const rows = await ctx.db.selectFrom('servers').selectAll().orderBy('server_id').execute();
  return rows.map(registrationFromRow);
}

export async function syncServers(ctx: StoreContext, options: { seats: number; staleAfterMs: number }): Promise<RemovedRegistration[]> {
  if (!Number.isSafeInteger(options.seats) || options.seats < 1) {
    throw new EfactError('INVALID_CONFIG', `seats must be a whole number from 1, got ${options.seats}`);
  }
  const staleBefore = millis(ctx.now()) - Math.max(0, options.staleAfterMs);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('servers')
      .selectAll()
      .where((eb) => eb.or([eb('server_id', '>', options.seats), eb('lease_until', '<', staleBefore)]))
      .orderBy('server_id')
      .execute();
    if (rows.length === 0) return [];
    // A removed live instance's writes in flight commit first; its later ones are refused.
    for (const r of rows) await lockServer(trx, ctx.traits, num(r.server_id), 'exclusive');
    // Checked again under the locks: an id taken over meanwhile is live again and stays.
    const deleted = await trx
      .deleteFrom('servers')
      .where('server_id', 'in', rows.map((r) => num(r.server_id)))
      .where((eb) => eb.or([eb('server_id', '>', options.seats), eb('lease_until', '<', staleBefore)]))
      .returningAll()
      .execute();
    const removed = deleted.map(registrationFromRow).sort((a, b) => a.serverId - b.serverId);
    return removed.map((registration) => ({
      registration,
      reason: registration.serverId > options.seats ? ('above-seats' as const) : ('expired' as const),
    }));
  });
}

/** Filters of live registrations other than `exceptServerId`, for an unfiltered instance's claims. */
export async function liveFilters(db: Db, ctx: StoreContext, exceptServerId: number | null): Promise<string[]> {
  let query = db
    .selectFrom('servers')
    .select('filter')
    .where('filter', 'is not', null)
    .where('stopped_at', 'is', null)
    .where('lease_until', '>', millis(ctx.now()));
  if (exceptServerId !== null) query = query.where('server_id', '<>', exceptServerId);
  const rows = await query.execute();
  return rows.map((r) => r.filter!).sort();
}
