/**
 * Live updates from GET /api/v1/events (server-sent events), read with fetch and a stream reader
 * rather than EventSource: EventSource cannot send headers, and the API key belongs in the
 * Authorization header — in a URL (`?access_token=`) it would land in access logs, proxies and
 * the browser's history. While the stream is down the dashboard polls; the stream is retried.
 */
import { useEffect, useRef, useState } from 'react';
import { API, authHeaders, signalUnauthorized, type EngineState, type Status } from './api';

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

/** One event block of a text/event-stream ("event:", "data:", "retry:" lines; ":" comments). */
export interface StreamEvent {
  type: string;
  data: string;
  retry: number | null;
}

export function parseEventBlock(block: string): StreamEvent | null {
  let type = 'message';
  const data: string[] = [];
  let retry: number | null = null;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  if (data.length === 0 && retry === null) return null;
  return { type, data: data.join('\n'), retry };
}

/** The live feed while `enabled`; reconnects with the current key when `key` changes. */
export function useLive(handlers: LiveHandlers, enabled: boolean, key: string | null): LiveMode {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [mode, setMode] = useState<LiveMode>('connecting');
  useEffect(() => {
    if (!enabled) return;
    if (typeof ReadableStream === 'undefined' || typeof TextDecoderStream === 'undefined') {
      setMode('polling');
      return;
    }
    let stopped = false;
    let ctrl: AbortController | null = null;
    let timer: number | null = null;
    let retryMs = 2000;
    let failures = 0;
    const dispatch = (e: StreamEvent): void => {
      if (e.retry !== null) retryMs = e.retry;
      if (e.data === '') return;
      if (e.type === 'hello') {
        failures = 0;
        setMode('live');
        ref.current.onResync();
      } else if (e.type === 'invoice') ref.current.onInvoice(JSON.parse(e.data) as InvoiceChange);
      else if (e.type === 'engine') ref.current.onEngine(JSON.parse(e.data) as EngineStates);
      else if (e.type === 'resync') ref.current.onResync();
    };
    const connect = async (): Promise<void> => {
      ctrl = new AbortController();
      try {
        const res = await fetch(`${API}/events`, { headers: authHeaders({ accept: 'text/event-stream' }), signal: ctrl.signal, cache: 'no-store' });
        if (res.status === 401) {
          // The key is gone or wrong: the page asks for one and opens the feed again after.
          signalUnauthorized();
          setMode('polling');
          return;
        }
        if (!res.ok || res.body === null) throw new Error(`events: ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const e = parseEventBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (e !== null) dispatch(e);
          }
        }
      } catch {
        /* a dropped connection or an abort: retried below unless stopped */
      }
      if (stopped) return;
      setMode('polling');
      // Each failure in a row waits a little longer (at most 30 s), so a server that is down is not hammered.
      failures += 1;
      timer = window.setTimeout(() => void connect(), Math.min(30_000, retryMs * Math.min(failures, 15)));
    };
    setMode('connecting');
    void connect();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      ctrl?.abort();
    };
  }, [enabled, key]);
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
