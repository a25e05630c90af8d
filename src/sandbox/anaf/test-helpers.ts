/**
 * Helpers for tests that drive the sandbox over real HTTP (sandbox tests, client and engine
 * tests alike): start one on a ManualClock, call it with fetch, read ANAF's answers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { makeCif } from '../../domain/cif.js';
import type { Environment } from '../../domain/company.js';
import { startAnafSandbox, type AnafSandbox, type AnafSandboxOptions } from './server.js';

/** ../shared/reference from the project root; tests skip with a stated reason where it is absent. */
export const REFERENCE_DIR = path.resolve(process.cwd(), '../shared/reference');

export function referencePath(...parts: string[]): string | null {
  const p = path.join(REFERENCE_DIR, ...parts);
  return existsSync(p) ? p : null;
}

export const SUPPLIER_CIF = makeCif('1234567');
export const BUYER_CIF = makeCif('7654321');
export const TOKEN = 'sandbox-test-token';

/** 2026-03-10 10:00 Bucharest (08:00 UTC), away from DST changes. */
export const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);

export interface TestSandbox {
  sandbox: AnafSandbox;
  clock: ManualClock;
}

export async function startTestSandbox(options: AnafSandboxOptions = {}): Promise<TestSandbox> {
  const clock = new ManualClock(T0);
  const sandbox = await startAnafSandbox({ clock, processingDelayMs: 2000, ...options });
  return { sandbox, clock };
}

export interface CallOptions {
  method?: string;
  body?: string | Uint8Array | FormData;
  /** null: no Authorization header. */
  token?: string | null;
  contentType?: string;
  signal?: AbortSignal;
}

export function call(sandbox: AnafSandbox, pathAndQuery: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.contentType) headers['content-type'] = options.contentType;
  else if (typeof options.body === 'string' || options.body instanceof Uint8Array) headers['content-type'] = 'text/plain';
  return fetch(`${sandbox.url}${pathAndQuery}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body !== undefined ? { body: options.body as RequestInit['body'] } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export function rest(environment: Environment, service: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return `/${environment}/FCTEL/rest/${service}${qs ? `?${qs}` : ''}`;
}

export interface UploadAnswer {
  status: number;
  text: string;
  /** index_incarcare when ExecutionStatus="0". */
  index: string | null;
  /** errorMessage attributes. */
  errors: string[];
}

export function attributeValues(xml: string, attribute: string): string[] {
  return [...xml.matchAll(new RegExp(`${attribute}="([^"]*)"`, 'g'))].map((m) =>
    m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
}

export async function upload(
  sandbox: AnafSandbox,
  xml: string | Uint8Array,
  query: Record<string, string> = {},
  options: { environment?: Environment; b2c?: boolean; token?: string | null } = {},
): Promise<UploadAnswer> {
  const q = { standard: 'UBL', cif: SUPPLIER_CIF, ...query };
  const res = await call(sandbox, rest(options.environment ?? 'test', options.b2c ? 'uploadb2c' : 'upload', q), {
    body: xml,
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    index: /ExecutionStatus="0" index_incarcare="(\d+)"/.exec(text)?.[1] ?? null,
    errors: attributeValues(text, 'errorMessage'),
  };
}

export interface StatusAnswer {
  text: string;
  stare: string | null;
  downloadId: string | null;
  errors: string[];
}

export async function stareMesaj(sandbox: AnafSandbox, index: string, environment: Environment = 'test', token?: string): Promise<StatusAnswer> {
  const res = await call(sandbox, rest(environment, 'stareMesaj', { id_incarcare: index }), token ? { token } : {});
  const text = await res.text();
  return {
    text,
    stare: /stare="([^"]*)"/.exec(text)?.[1] ?? null,
    downloadId: /id_descarcare="([^"]*)"/.exec(text)?.[1] ?? null,
    errors: attributeValues(text, 'errorMessage'),
  };
}

export async function getJson(sandbox: AnafSandbox, pathAndQuery: string, token?: string | null): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await call(sandbox, pathAndQuery, token === undefined ? {} : { token });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
