/**
 * The source of GET /events: looks for new invoice events in the store (so it sees what every
 * instance, the CLI and intake did, not only this process) and for engine state changes, while
 * someone listens, and hands both to the listeners. One poll serves every listener.
 */
import type { EngineControl } from '../engine/engine-control.js';
import type { FeedEvent, Store } from '../ports/store.js';
import { serializeEngineState } from './serialize.js';

/** More new events than this in one look: listeners are told to reload rather than sent them all. */
const MAX_EVENTS_PER_TICK = 500;

export type FeedMessage =
  | { type: 'invoice'; data: ReturnType<typeof feedEventJson> }
  | { type: 'engine'; data: ReturnType<typeof engineStatesJson> }
  | { type: 'resync'; data: { lastEventId: number } };

export function feedEventJson(e: FeedEvent) {
  return {
    id: e.id,
    invoiceId: e.invoiceId,
    companyId: e.companyId,
    at: e.at.toISOString(),
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    cause: e.cause,
  };
}

export function engineStatesJson(engine: EngineControl) {
  return engine.states().map((s) => ({ companyId: s.companyId, cif: s.cif, environment: s.environment, ...serializeEngineState(s) }));
}

export class LiveFeed {
  private readonly listeners = new Set<(m: FeedMessage) => void>();
  private timer: NodeJS.Timeout | null = null;
  private lastEventId: number | null = null;
  private lastEngine = '';
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly engine: EngineControl,
    private readonly intervalMs = 500,
  ) {}

  subscribe(listener: (m: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    if (this.timer === null) this.timer = setInterval(() => void this.tick(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.lastEventId = null;
    this.lastEngine = '';
  }

  private emit(m: FeedMessage): void {
    for (const l of this.listeners) l(m);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.lastEventId === null) this.lastEventId = await this.store.lastEventId();
      const events = await this.store.listEventsSince(this.lastEventId, MAX_EVENTS_PER_TICK + 1);
      if (events.length > MAX_EVENTS_PER_TICK) {
        this.lastEventId = await this.store.lastEventId();
        this.emit({ type: 'resync', data: { lastEventId: this.lastEventId } });
      } else {
        for (const e of events) this.emit({ type: 'invoice', data: feedEventJson(e) });
        if (events.length > 0) this.lastEventId = events.at(-1)!.id;
      }
      const states = engineStatesJson(this.engine);
      const text = JSON.stringify(states);
      if (text !== this.lastEngine) {
        this.lastEngine = text;
        this.emit({ type: 'engine', data: states });
      }
    } catch {
      // A store hiccup (closing, busy): the next tick tries again; listeners keep their stream.
    } finally {
      this.busy = false;
    }
  }
}
