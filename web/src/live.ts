/**
 * Live updates from GET /api/v1/events (server-sent events). While the stream is down the
 * dashboard falls back to polling; EventSource reconnects by itself and polling stops again.
 */
import { useEffect, useRef, useState } from 'react';
import { API, type EngineState, type Status } from './api';

export interface InvoiceChange {
  id: number;
  invoiceId: number;
  companyId: number;
  at: string;
  fromStatus: Status | null;
  toStatus: Status;
  cause: string;
}

export type EngineStates = Array<EngineState & { companyId: number; cif: string; environment: 'test' | 'prod' }>;

export type LiveMode = 'connecting' | 'live' | 'polling';

export interface LiveHandlers {
  onInvoice(change: InvoiceChange): void;
  onEngine(states: EngineStates): void;
  onResync(): void;
}

export function useLive(handlers: LiveHandlers): LiveMode {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [mode, setMode] = useState<LiveMode>('connecting');
  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setMode('polling');
      return;
    }
    const es = new EventSource(`${API}/events`);
    es.onopen = () => setMode('live');
    es.onerror = () => setMode('polling');
    es.addEventListener('invoice', (e) => ref.current.onInvoice(JSON.parse((e as MessageEvent<string>).data) as InvoiceChange));
    es.addEventListener('engine', (e) => ref.current.onEngine(JSON.parse((e as MessageEvent<string>).data) as EngineStates));
    es.addEventListener('resync', () => ref.current.onResync());
    es.addEventListener('hello', () => {
      setMode('live');
      ref.current.onResync();
    });
    return () => es.close();
  }, []);
  return mode;
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn: () => void, ms: number, active = true): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [ms, active]);
}
