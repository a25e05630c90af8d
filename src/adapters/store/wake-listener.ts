/**
 * PostgreSQL's side of the WakeChannel: NOTIFY on one channel for every efact schema of a
 * database, the schema named in the payload ("<schema>:<companyId>") so that schemas sharing a
 * database do not wake each other; LISTEN on a dedicated connection that is re-opened when it
 * drops (server restart, failover, idle kill), with a growing pause between tries.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from './context.js';

export const WAKE_CHANNEL = 'efact_wake';

/** Inside a transaction, the NOTIFY is delivered at its commit, and not at all on rollback. */
export async function notifyWakeIn(db: Db, companyId: number): Promise<void> {
  await sql`select pg_notify(${WAKE_CHANNEL}, current_schema() || ':' || ${String(companyId)}::text)`.execute(db);
}

export interface WakeListenerOptions {
  client: () => pg.ClientConfig;
  listener: (companyId: number | null) => void;
  /** First pause before re-connecting (doubles up to 30 s). */
  retryMs?: number;
}

export class PgWakeListener {
  #client: pg.Client | null = null;
  #schema: string | null = null;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #retryMs: number;
  readonly #options: WakeListenerOptions;

  constructor(options: WakeListenerOptions) {
    this.#options = options;
    this.#retryMs = options.retryMs ?? 250;
  }

  /** Connects and listens; rejects when the first connection fails. */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#options.client());
    // A dropped connection emits 'error' and 'end'; either re-opens it, once.
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = null;
      this.#scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (n) => {
      if (n.channel !== WAKE_CHANNEL || n.payload === undefined) return;
      const cut = n.payload.lastIndexOf(':');
      if (cut < 0 || n.payload.slice(0, cut) !== this.#schema) return;
      const id = Number(n.payload.slice(cut + 1));
      if (Number.isSafeInteger(id)) this.#options.listener(id);
    });
    try {
      await client.connect();
      const found = await client.query<{ schema: string | null }>('select current_schema() as schema');
      this.#schema = found.rows[0]?.schema ?? null;
      await client.query(`listen ${WAKE_CHANNEL}`);
    } catch (e) {
      lost = true; // this client is done; the caller decides whether to try again
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.#stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#retryTimer !== null) return;
    const wait = this.#retryMs;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect().then(
        () => {
          this.#retryMs = this.#options.retryMs ?? 250;
          // Whatever was announced while the connection was down is lost: look at everything.
          if (!this.#stopped) this.#options.listener(null);
        },
        () => {
          this.#retryMs = Math.min(30_000, this.#retryMs * 2);
          this.#scheduleReconnect();
        },
      );
    }, wait);
    this.#retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const client = this.#client;
    this.#client = null;
    if (client !== null) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
