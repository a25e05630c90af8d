/**
 * PostgreSQL's batch path for transition(): one UPDATE … FROM unnest(…) per patch shape instead
 * of one compare-and-set round trip per invoice (1000 transitions: ~275 ms → a few statements).
 * The values travel as typed arrays, one bound parameter per column, so the statement text
 * depends only on the shape. Semantics are those of the per-invoice path, which still serves
 * SQLite (in-process, where a round trip costs microseconds) and batches naming an invoice or an
 * attempt twice (there, each change must see the one before it).
 */
import { sql, type Selectable } from 'kysely';
import { EfactError } from '../../domain/errors.js';
import type { TransitionRequest } from '../../ports/store.js';
import type { Db } from './context.js';
import { millis, patchColumns } from './rows.js';
import type { InvoicesTable } from './schema.js';

/** PostgreSQL types of the columns a patch may set (bigint: epoch milliseconds). */
const PATCH_COLUMN_TYPES: Record<string, 'text' | 'int8'> = {
  environment: 'text',
  upload_id: 'text',
  uploaded_at: 'int8',
  download_id: 'text',
  resolved_at: 'int8',
  downloaded_at: 'int8',
  archive_path: 'text',
  messages: 'text',
  next_attempt_at: 'int8',
  last_error: 'text',
};

/** Whether a batch can take the one-statement path: every invoice and attempt named once. */
export function batchable(requests: readonly TransitionRequest[]): boolean {
  if (requests.length < 2) return false;
  const ids = new Set<number>();
  const attempts = new Set<number>();
  for (const r of requests) {
    if (ids.has(r.invoiceId)) return false;
    ids.add(r.invoiceId);
    if (r.attempt) {
      if (attempts.has(r.attempt.id)) return false;
      attempts.add(r.attempt.id);
    }
  }
  return true;
}

function shapeOf(r: TransitionRequest): string {
  const names = Object.keys(patchColumns(r.patch ?? {})).sort();
  return `${names.join(',')}|${(r.patch?.addPlatformCalls ?? 0) !== 0 ? 'c' : ''}|${(r.patch?.addAttempts ?? 0) !== 0 ? 'a' : ''}`;
}

/**
 * Compare-and-set of every request in one statement per patch shape; the updated rows by
 * invoice id (an invoice no longer in its `from` state is absent).
 */
export async function batchCompareAndSet(
  db: Db,
  requests: readonly TransitionRequest[],
  now: Date,
): Promise<Map<number, Selectable<InvoicesTable>>> {
  const groups = new Map<string, TransitionRequest[]>();
  for (const r of requests) {
    const key = shapeOf(r);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  // Lock the rows in id order first: a join updates them in whatever order it meets them, and two
  // instances doing that over the same invoices (status passes) could deadlock.
  await sql`select id from invoices where id = any(${requests.map((r) => r.invoiceId)}::int8[]) order by id for update`.execute(db);
  const updated = new Map<number, Selectable<InvoicesTable>>();
  for (const group of groups.values()) {
    const first = group[0]!.patch ?? {};
    const names = Object.keys(patchColumns(first)).sort();
    const addCalls = (first.addPlatformCalls ?? 0) !== 0;
    const addAttempts = (first.addAttempts ?? 0) !== 0;
    const columns: Array<{ name: string; type: string; values: unknown[] }> = [
      { name: 'id', type: 'int8', values: group.map((r) => r.invoiceId) },
      { name: 'from_status', type: 'text', values: group.map((r) => r.from) },
      { name: 'to_status', type: 'text', values: group.map((r) => r.to) },
    ];
    for (const n of names) {
      columns.push({ name: n, type: PATCH_COLUMN_TYPES[n]!, values: group.map((r) => (patchColumns(r.patch ?? {}) as Record<string, unknown>)[n] ?? null) });
    }
    if (addCalls) columns.push({ name: 'add_calls', type: 'int4', values: group.map((r) => r.patch?.addPlatformCalls ?? 0) });
    if (addAttempts) columns.push({ name: 'add_attempts', type: 'int4', values: group.map((r) => r.patch?.addAttempts ?? 0) });

    const sets = [sql`status = v.to_status`, sql`updated_at = ${millis(now)}`];
    for (const n of names) sets.push(sql`${sql.ref(n)} = v.${sql.ref(n)}`);
    if (addCalls) sets.push(sql`platform_calls = i.platform_calls + v.add_calls`);
    if (addAttempts) sets.push(sql`attempts = i.attempts + v.add_attempts`);
    const arrays = columns.map((c) => sql`${c.values}::${sql.raw(c.type)}[]`);
    const aliases = columns.map((c) => sql.ref(c.name));
    const result = await sql<Selectable<InvoicesTable>>`
      update invoices as i set ${sql.join(sets)}
      from unnest(${sql.join(arrays)}) as v(${sql.join(aliases)})
      where i.id = v.id and i.status = v.from_status
      returning i.*`.execute(db);
    for (const row of result.rows) updated.set(Number(row.id), row);
  }
  return updated;
}

/** Closes the upload attempts of a batch in one statement; every attempt must exist. */
export async function batchFinishAttempts(
  db: Db,
  attempts: ReadonlyArray<NonNullable<TransitionRequest['attempt']>>,
  at: Date,
): Promise<void> {
  if (attempts.length === 0) return;
  const result = await sql<{ id: string }>`
    update upload_attempts as a
      set outcome = v.outcome, upload_id = v.upload_id, note = v.note, finished_at = ${millis(at)}
    from unnest(${attempts.map((x) => x.id)}::int8[], ${attempts.map((x) => x.outcome)}::text[],
                ${attempts.map((x) => x.uploadId)}::text[], ${attempts.map((x) => x.note)}::text[])
      as v(id, outcome, upload_id, note)
    where a.id = v.id
    returning a.id`.execute(db);
  if (result.rows.length !== attempts.length) {
    const found = new Set(result.rows.map((r) => Number(r.id)));
    const missing = attempts.find((x) => !found.has(x.id))!.id;
    throw new EfactError('NOT_FOUND', `no upload attempt with id ${missing}`, { details: { attemptId: missing } });
  }
}
