/**
 * How long the store's work claims take, for `npm run bench` (issue 3: claim latency). A
 * process-wide observer list rather than a metrics library: nothing is measured, and nothing
 * costs more than an empty-array check, until someone listens.
 */
export type ClaimKind = 'upload' | 'download';

export interface ClaimSample {
  kind: ClaimKind;
  /** Wall time of the whole claim (its transaction included), in milliseconds. */
  ms: number;
  /** Invoices the claim took. */
  claimed: number;
}

type ClaimObserver = (sample: ClaimSample) => void;
const observers: ClaimObserver[] = [];

/** Calls `observer` after every claim of this process; returns the way to stop. */
export function observeClaims(observer: ClaimObserver): () => void {
  observers.push(observer);
  return () => {
    const i = observers.indexOf(observer);
    if (i >= 0) observers.splice(i, 1);
  };
}

/** Runs `claim`, timing it when anyone listens. */
export async function timedClaim<T>(kind: ClaimKind, claim: () => Promise<T[]>): Promise<T[]> {
  if (observers.length === 0) return claim();
  const start = performance.now();
  const result = await claim();
  const sample = { kind, ms: performance.now() - start, claimed: result.length };
  for (const o of observers) o(sample);
  return result;
}
