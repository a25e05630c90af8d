/** The public REST API, as the dashboard uses it (the same routes any client has; see /api/v1/openapi.json). */

export const API = '/api/v1';

export type Status =
  | 'queued'
  | 'uploading'
  | 'processing'
  | 'ok'
  | 'nok'
  | 'downloaded'
  | 'invalid'
  | 'needs-attention'
  | 'superseded';

export const STATUSES: Status[] = ['queued', 'uploading', 'processing', 'ok', 'nok', 'downloaded', 'invalid', 'needs-attention', 'superseded'];

export interface EngineState {
  phase: 'running' | 'idle' | 'backoff' | 'paused-quota' | 'stopped';
  sendingEnabled: boolean;
  backoffUntil: string | null;
  quotaPausedUntil: string | null;
  lastPassAt: string | null;
  lastChangeAt: string | null;
  lastError: string | null;
}

export interface Company {
  id: number;
  cif: string;
  shortName: string;
  name: string;
  environment: 'test' | 'prod';
  sendingEnabled: boolean;
  counts: Record<Status | 'total', number>;
  engine: EngineState | null;
}

export interface Invoice {
  id: number;
  companyId: number;
  companyCif: string | null;
  environment: 'test' | 'prod';
  status: Status;
  series: string;
  number: string;
  invoiceId: string;
  issueDate: string | null;
  origin: { channel: string; sourcePath: string | null; computer: string | null; user: string | null; branch: string | null };
  uploadId: string | null;
  uploadedAt: string | null;
  downloadId: string | null;
  resolvedAt: string | null;
  downloadedAt: string | null;
  archived: boolean;
  /** ANAF's messages; source 'local': Efact's own validation, with rule, severity and place. */
  messages: Array<{ text: string; source: string; ruleId?: string; severity?: 'fatal' | 'warning'; location?: string; line?: number }>;
  supersedesId: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InvoiceDetail extends Invoice {
  events: Array<{ id: number; at: string; instance: string; fromStatus: Status | null; toStatus: Status; cause: string; details: Record<string, unknown> | null }>;
  uploadAttempts: Array<{ id: number; startedAt: string; finishedAt: string | null; outcome: string; uploadId: string | null; note: string | null }>;
}

export interface GridPage {
  items: Invoice[];
  next: string | null;
  total: { count: number; capped: boolean } | null;
}

export interface Health {
  version: string;
  time: string;
  instance?: { serverId: number; seats: number; host: string };
}

/** GET /me: who the dashboard acts as. `via: 'local'`: no key exists yet (open, 127.0.0.1 only). */
export interface Me {
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  companies: string[] | null;
  via: 'api-key' | 'local';
}

/** One ANAF OAuth profile of GET /auth/status (masked: never a token). */
export interface TokenProfile {
  name: string;
  state: 'ok' | 'warning' | 'expired' | 'login-needed';
  message?: string | null;
  hasTokens: boolean;
  accessExpiresAt: string | null;
  accessDaysLeft: number | null;
  refreshExpiresAt: string | null;
  refreshDaysLeft: number | null;
  lastError?: string | null;
}

export interface Governor {
  callsThisMinute: number;
  perMinuteLimit: number;
  quotas: Array<{ scope: string; used: number; limit: number; resetsAt: string; pausedByPlatform: boolean }>;
}

/** One registration of GET /servers. */
export interface ServerInstance {
  serverId: number;
  state: 'live' | 'expired' | 'stopped';
  host: string;
  pid: number;
  filter: string | null;
  startedAt: string;
  heartbeatAt: string;
  leaseUntil: string;
  stoppedAt: string | null;
  claimed: number;
  uploaded: number;
  current: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    /** Seconds the server asked to wait (429 Retry-After), when it said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

// The API key the person typed, for this tab only (sessionStorage: gone when the tab closes).
const KEY_ITEM = 'efact.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_ITEM);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_ITEM);
  else sessionStorage.setItem(KEY_ITEM, key);
}

/** The headers every call carries: the key as a bearer token once one was given. */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const key = storedKey();
  return key === null ? extra : { ...extra, authorization: `Bearer ${key}` };
}

// Told when any call answers 401: the page then asks for a key.
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function signalUnauthorized(): void {
  for (const l of unauthorizedListeners) l();
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let message = `${res.status} ${res.statusText}`;
  let code: string | null = null;
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string; platformMessage?: string } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
  } catch {
    /* not JSON */
  }
  const after = Number(res.headers.get('retry-after'));
  if (res.status === 401) signalUnauthorized();
  throw new ApiError(res.status, message, code, Number.isFinite(after) && after > 0 ? after : null);
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return check(await fetch(`${API}${path}`, { ...init, headers: authHeaders((init.headers as Record<string, string> | undefined) ?? {}) }));
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await call(path, signal ? { signal } : {});
  return (await res.json()) as T;
}

/** GET /me with a key the person typed, before it is kept: no 401 listener fires for a wrong one. */
export async function trySignIn(key: string): Promise<Me> {
  const res = await fetch(`${API}/me`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status === 401) throw new ApiError(401, 'unknown key', 'UNAUTHORIZED');
  return (await check(res).then((r) => r.json())) as Me;
}

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method: 'POST' };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await call(path, init);
  return (await res.json()) as T;
}

export async function submitXml(cif: string, file: Blob): Promise<{ id: number; status: Status; outcome: string }> {
  const res = await call(`/companies/${encodeURIComponent(cif)}/invoices`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: file });
  return (await res.json()) as { id: number; status: Status; outcome: string };
}

/** The PDF as a blob URL, or the API's error message. */
export async function fetchPdf(id: number): Promise<string> {
  const res = await call(`/invoices/${id}/pdf`);
  return URL.createObjectURL(await res.blob());
}

/** A file of the API saved by the browser: a plain link cannot carry the key, so it is fetched first. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await call(path);
  const named = /filename="?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = named ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
