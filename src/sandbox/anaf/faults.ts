/**
 * Fault injection: what a flaky platform does to a client. Rates are probabilities drawn
 * from the sandbox's seeded generator, globally or per endpoint, and may be changed while
 * the sandbox runs. Besides random faults, `UploadHang`s make chosen uploads go silent
 * after the sandbox has taken them in — the invoice exists at ANAF although the client
 * never heard so (the case that must be reconciled, never re-uploaded blindly).
 */
import type { SandboxEndpoint } from './counters.js';
import type { Rng } from './rng.js';

export interface FaultRates {
  /** HTTP 500 with ANAF's general error body, before the request is processed. */
  errorRate?: number;
  /** The connection is destroyed without an answer, before the request is processed. */
  dropRate?: number;
  /** The answer is processed normally but its body arrives truncated and garbled. */
  malformedRate?: number;
  /** The web-application firewall's HTML page instead of the API's answer. */
  firewallRate?: number;
  /** The endpoint's daily-quota answer, whatever the real counts. */
  quotaRate?: number;
  /** The per-minute limit's answer (HTTP 429), whatever the real counts: obeyed until the next minute. */
  minuteQuotaRate?: number;
  /** Real-time delay before answering: fixed, or a [min, max] range. */
  latencyMs?: number | readonly [number, number];
}

export interface FaultConfig extends FaultRates {
  /** Rates for single endpoints, overriding the global ones. */
  endpoints?: Partial<Record<SandboxEndpoint, FaultRates>>;
}

export interface UploadHangOptions {
  /** How many of the next accepted uploads to affect; default 1. */
  count?: number;
  /** 'hang': answer only after `ms` (real time); 'drop': close the connection at once. Default 'hang'. */
  mode?: 'hang' | 'drop';
  /** For 'hang': how long to stay silent; default 60 000 ms (longer than any sane client timeout). */
  ms?: number;
  /** Only uploads of this invoice id (cbc:ID) are affected. */
  invoiceId?: string;
}

export interface UploadHang {
  remaining: number;
  mode: 'hang' | 'drop';
  ms: number;
  invoiceId?: string;
}

export type FaultAction = 'drop' | 'firewall' | 'error' | 'quota' | 'minuteQuota' | 'malformed';

export interface FaultDraw {
  latencyMs: number;
  action: FaultAction | null;
}

const ORDER: ReadonlyArray<[FaultAction, keyof FaultRates]> = [
  ['drop', 'dropRate'],
  ['firewall', 'firewallRate'],
  ['error', 'errorRate'],
  ['quota', 'quotaRate'],
  ['minuteQuota', 'minuteQuotaRate'],
  ['malformed', 'malformedRate'],
];

export function effectiveRates(config: FaultConfig, endpoint: SandboxEndpoint): FaultRates {
  const { endpoints, ...global } = config;
  return { ...global, ...(endpoints?.[endpoint] ?? {}) };
}

/** Decides the faults of one request. Only non-zero rates draw, so a quiet sandbox draws nothing. */
export function drawFaults(config: FaultConfig, endpoint: SandboxEndpoint, rng: Rng): FaultDraw {
  const rates = effectiveRates(config, endpoint);
  let latencyMs = 0;
  const latency = rates.latencyMs;
  if (typeof latency === 'number') latencyMs = latency;
  else if (latency) latencyMs = rng.int(latency[0], latency[1]);
  let action: FaultAction | null = null;
  for (const [name, key] of ORDER) {
    const rate = rates[key] as number | undefined;
    if (!rate || rate <= 0) continue;
    if (rng.next() < rate && action === null) action = name;
  }
  return { latencyMs, action };
}

/** Truncates and garbles an answer body (a proxy cutting the stream, a broken encoder). */
export function garble(payload: string | Buffer): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
  return Buffer.concat([cut, Buffer.from([0xef, 0xbf, 0xbd, 0x00, 0x3c, 0x21])]);
}
