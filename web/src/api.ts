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
  /** Added by the OAuth work when it lands; read when present. */
  token?: { state?: string; validUntil?: string | null; expiresAt?: string | null } | null;
}

export interface Governor {
  callsThisMinute: number;
  perMinuteLimit: number;
  quotas: Array<{ scope: string; used: number; limit: number; resetsAt: string; pausedByPlatform: boolean }>;
}

export interface ServerInstance {
  serverId: number;
  host?: string;
  live?: boolean;
  lastSeenAt?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
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
  throw new ApiError(res.status, message, code);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await check(await fetch(`${API}${path}`, signal ? { signal } : {}));
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method: 'POST' };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await check(await fetch(`${API}${path}`, init));
  return (await res.json()) as T;
}

export async function submitXml(cif: string, file: Blob): Promise<{ id: number; status: Status; outcome: string }> {
  const res = await check(
    await fetch(`${API}/companies/${encodeURIComponent(cif)}/invoices`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: file }),
  );
  return (await res.json()) as { id: number; status: Status; outcome: string };
}

/** The PDF as a blob URL, or the API's error message. */
export async function fetchPdf(id: number): Promise<string> {
  const res = await check(await fetch(`${API}/invoices/${id}/pdf`));
  return URL.createObjectURL(await res.blob());
}

/** GET that answers null on 404 (a route another part of Efact adds later). */
export async function getOptional<T>(path: string): Promise<T | null> {
  const res = await fetch(`${API}${path}`);
  if (res.status === 404) return null;
  return (await (await check(res)).json()) as T;
}
