/**
 * The ANAF RO e-Factura client. Every call takes one path (`call`): the rate governor, one
 * HTTP exchange with a timeout, the endpoint's parser, the call ledger — success or failure —
 * and, for a quota answer, the governor told before the error is thrown.
 */
import { normalizeCif } from '../../domain/cif.js';
import { EfactError, asEfactError } from '../../domain/errors.js';
import type { CallLedger } from '../../ports/call-ledger.js';
import type { Clock } from '../../ports/clock.js';
import type {
  AnafConnector,
  AnafEndpoint,
  CallContext,
  DownloadRequest,
  ListMessagesPagedRequest,
  ListMessagesRequest,
  MessageListEntry,
  SignatureAnswer,
  UploadReceipt,
  UploadRequest,
  UploadState,
  ValidationAnswer,
} from '../../ports/platform.js';
import type { GovernedCall, RateGovernor } from '../../ports/rate-governor.js';
import { anafReasonOf } from './classify.js';
import type { AnafAnswer, ParseContext } from './parsers/answer.js';
import { parseDownloadResponse } from './parsers/download-response.js';
import { parseMessageListResponse, type MessageListPage } from './parsers/message-list.js';
import { parseSignatureResponse } from './parsers/signature-response.js';
import { parseStatusResponse } from './parsers/status-response.js';
import { parseUploadResponse } from './parsers/upload-response.js';
import { parsePdfResponse, parseValidationResponse } from './parsers/validation-response.js';
import { exchange } from './transport.js';
import { ANAF_API_BASE_URL, ANAF_PUBLIC_BASE_URL, ANAF_REST_PREFIX, ANAF_SIGNATURE_PATH, FLAG_YES } from './vocabulary.js';

export { ANAF_API_BASE_URL, ANAF_PUBLIC_BASE_URL } from './vocabulary.js';

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Larger answers are refused: untrusted input is bounded (answer ZIPs are far smaller). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** ANAF's upload limit. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Stops a paginated listing that never ends (500 per page: far beyond ANAF's 60-day volume). */
export const MAX_LIST_PAGES = 2000;

export interface AnafClientOptions {
  /** OAuth host, default https://api.anaf.ro. */
  apiBaseUrl?: string;
  /** Unauthenticated services (validation, PDF, signature), default https://webservicesp.anaf.ro. */
  publicBaseUrl?: string;
  /**
   * The OAuth access token for a call (a company's profile may differ from another's); sent as
   * `Authorization: Bearer …` to the api host only.
   */
  token: (context: CallContext) => string | Promise<string>;
  governor: RateGovernor;
  ledger: CallLedger;
  /** serverId of this instance, for the ledger. */
  instance: string;
  /** Whole-exchange timeout, default 60 s. */
  timeoutMs?: number;
  clock: Clock;
  fetch?: typeof fetch;
  maxResponseBytes?: number;
}

interface CallSpec<T> {
  endpoint: AnafEndpoint;
  context: CallContext;
  host: 'api' | 'public';
  /** Path below the base URL, without a leading slash. */
  path: string;
  query?: Array<[string, string]>;
  method: 'GET' | 'POST';
  body?: Uint8Array | FormData;
  contentType?: string;
  messageId?: string;
  standard?: string;
  /** Runs after the governor let the call through, right before the request leaves; throwing stops it unsent. */
  beforeSend?: () => Promise<void>;
  parse: (answer: AnafAnswer, ctx: ParseContext) => T;
}

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

/** The CIF as ANAF wants it: digits only. NOTE: a RO prefix makes ANAF refuse the call. */
function cifDigits(context: CallContext): string {
  const cif = normalizeCif(context.companyCif);
  if (cif === null) {
    throw new EfactError('INVALID_REQUEST', `not a CIF: ${JSON.stringify(context.companyCif)}`, {
      details: { cif: context.companyCif },
    });
  }
  return cif;
}

/** Copies an error with more details (EfactError's fields are read-only). */
function withDetails(e: EfactError, extra: Record<string, unknown>): EfactError {
  return new EfactError(e.code, e.message, {
    ...(e.platformMessage !== undefined ? { platformMessage: e.platformMessage } : {}),
    ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}),
    ...(e.endpoint !== undefined ? { endpoint: e.endpoint } : {}),
    ...(e.retryAt !== undefined ? { retryAt: e.retryAt } : {}),
    details: { ...(e.details ?? {}), ...extra },
    cause: e.cause ?? e,
  });
}

export class AnafClient implements AnafConnector {
  private readonly apiBase: string;
  private readonly publicBase: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: AnafClientOptions) {
    this.apiBase = trimSlash(options.apiBaseUrl ?? ANAF_API_BASE_URL);
    this.publicBase = trimSlash(options.publicBaseUrl ?? ANAF_PUBLIC_BASE_URL);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async upload(req: UploadRequest): Promise<UploadReceipt> {
    const endpoint: AnafEndpoint = req.b2c ? 'uploadb2c' : 'upload';
    if (req.xml.byteLength === 0) throw new EfactError('INVALID_REQUEST', 'nothing to upload: the XML is empty');
    if (req.xml.byteLength > MAX_UPLOAD_BYTES) {
      throw new EfactError('TOO_LARGE', `XML is ${req.xml.byteLength} bytes; ANAF accepts at most ${MAX_UPLOAD_BYTES}`, {
        details: { size: req.xml.byteLength, limit: MAX_UPLOAD_BYTES },
      });
    }
    const query: Array<[string, string]> = [
      ['standard', req.standard],
      ['cif', cifDigits(req.context)],
    ];
    if (req.flags?.extern) query.push(['extern', FLAG_YES]);
    if (req.flags?.autofactura) query.push(['autofactura', FLAG_YES]);
    if (req.flags?.executare) query.push(['executare', FLAG_YES]);
    try {
      return await this.call({
        endpoint,
        context: req.context,
        host: 'api',
        path: this.restPath(req.context, endpoint),
        query,
        method: 'POST',
        body: req.xml,
        contentType: 'text/plain',
        standard: req.standard,
        ...(req.beforeSend !== undefined ? { beforeSend: req.beforeSend } : {}),
        parse: parseUploadResponse,
      });
    } catch (e) {
      throw markUncertainUpload(e);
    }
  }

  status(req: { context: CallContext; uploadId: string }): Promise<UploadState> {
    const uploadId = req.uploadId.trim();
    return this.call({
      endpoint: 'stareMesaj',
      context: req.context,
      host: 'api',
      path: this.restPath(req.context, 'stareMesaj'),
      query: [['id_incarcare', uploadId]],
      method: 'GET',
      messageId: uploadId,
      parse: parseStatusResponse,
    });
  }

  async listMessages(req: ListMessagesRequest): Promise<MessageListEntry[]> {
    if (!Number.isInteger(req.days) || req.days < 1 || req.days > 60) {
      throw new EfactError('INVALID_REQUEST', `days must be a whole number from 1 to 60, not ${req.days}`);
    }
    const query: Array<[string, string]> = [
      ['zile', String(req.days)],
      ['cif', cifDigits(req.context)],
    ];
    if (req.filter) query.push(['filtru', req.filter]);
    const page = await this.call({
      endpoint: 'listaMesajeFactura',
      context: req.context,
      host: 'api',
      path: this.restPath(req.context, 'listaMesajeFactura'),
      query,
      method: 'GET',
      parse: parseMessageListResponse,
    });
    return page.entries;
  }

  /** Every page, 1..numar_total_pagini, concatenated; a message seen on two pages is kept once. */
  async listMessagesPaged(req: ListMessagesPagedRequest): Promise<MessageListEntry[]> {
    if (!(req.end.getTime() > req.start.getTime())) {
      throw new EfactError('INVALID_REQUEST', 'the interval must end after it starts');
    }
    const cif = cifDigits(req.context);
    const out: MessageListEntry[] = [];
    const seen = new Set<string>();
    let totalPages = 1;
    for (let page = 1; page <= totalPages && page <= MAX_LIST_PAGES; page++) {
      let answer: MessageListPage;
      try {
        answer = await this.call({
          endpoint: 'listaMesajePaginatieFactura',
          context: req.context,
          host: 'api',
          path: this.restPath(req.context, 'listaMesajePaginatieFactura'),
          query: this.pagedQuery(req, cif, page),
          method: 'GET',
          parse: parseMessageListResponse,
        });
      } catch (e) {
        // NOTE: the list can shrink between pages (messages age past 60 days): ANAF then says
        // "Pagina solicitata N este mai mare decat numarul toatal de pagini M". The list ends there.
        if (anafReasonOf(e) === 'page-beyond-total') break;
        throw e;
      }
      for (const entry of answer.entries) {
        if (entry.id !== null) {
          if (seen.has(entry.id)) continue;
          seen.add(entry.id);
        }
        out.push(entry);
      }
      totalPages = answer.paging?.totalPages ?? 0;
    }
    return out;
  }

  download(req: DownloadRequest): Promise<Uint8Array> {
    const downloadId = req.downloadId.trim();
    return this.call({
      endpoint: 'descarcare',
      context: req.context,
      host: 'api',
      path: this.restPath(req.context, 'descarcare'),
      query: [['id', downloadId]],
      method: 'GET',
      messageId: downloadId,
      parse: parseDownloadResponse,
    });
  }

  validate(req: { context: CallContext; xml: Uint8Array; standard: 'FACT1' | 'FCN' }): Promise<ValidationAnswer> {
    return this.call({
      endpoint: 'validare',
      context: req.context,
      host: 'public',
      // NOTE: ANAF offers validation and PDF on prod only, whatever the company's environment.
      path: `prod/${ANAF_REST_PREFIX}/validare/${req.standard}`,
      method: 'POST',
      body: req.xml,
      contentType: 'text/plain',
      parse: parseValidationResponse,
    });
  }

  toPdf(req: { context: CallContext; xml: Uint8Array; standard: 'FACT1' | 'FCN'; validate?: boolean }): Promise<Uint8Array> {
    const skip = req.validate === false ? `/${FLAG_YES}` : '';
    return this.call({
      endpoint: 'transformare',
      context: req.context,
      host: 'public',
      path: `prod/${ANAF_REST_PREFIX}/transformare/${req.standard}${skip}`,
      method: 'POST',
      body: req.xml,
      contentType: 'text/plain',
      parse: parsePdfResponse,
    });
  }

  verifySignature(req: { context: CallContext; xml: Uint8Array; signature: Uint8Array }): Promise<SignatureAnswer> {
    const form = new FormData();
    form.append('file', new Blob([req.xml], { type: 'text/xml' }), 'factura.xml');
    form.append('signature', new Blob([req.signature], { type: 'text/xml' }), 'semnatura.xml');
    return this.call({
      endpoint: 'validateSignature',
      context: req.context,
      host: 'public',
      path: ANAF_SIGNATURE_PATH,
      method: 'POST',
      body: form,
      parse: parseSignatureResponse,
    });
  }

  private restPath(context: CallContext, service: string): string {
    return `${context.environment}/${ANAF_REST_PREFIX}/${service}`;
  }

  private pagedQuery(req: ListMessagesPagedRequest, cif: string, page: number): Array<[string, string]> {
    const query: Array<[string, string]> = [
      ['startTime', String(req.start.getTime())],
      ['endTime', String(req.end.getTime())],
      ['cif', cif],
      ['pagina', String(page)],
    ];
    if (req.filter) query.push(['filtru', req.filter]);
    return query;
  }

  private async bearer(endpoint: AnafEndpoint, context: CallContext): Promise<string> {
    let token: string;
    try {
      token = await this.options.token(context);
    } catch (e) {
      if (e instanceof EfactError) throw e;
      throw new EfactError('PLATFORM_AUTH', `no ANAF access token for ${endpoint}: ${(e as Error).message ?? e}`, {
        endpoint,
        cause: e,
      });
    }
    if (typeof token !== 'string' || token.trim() === '') {
      throw new EfactError('PLATFORM_AUTH', `no ANAF access token for ${endpoint}`, { endpoint });
    }
    return token.trim();
  }

  /** The one request path. */
  private async call<T>(spec: CallSpec<T>): Promise<T> {
    const governed: GovernedCall = {
      endpoint: spec.endpoint,
      context: spec.context,
      ...(spec.messageId !== undefined ? { messageId: spec.messageId } : {}),
      ...(spec.standard !== undefined ? { standard: spec.standard } : {}),
    };
    const headers: Record<string, string> = { Accept: '*/*' };
    // The token is fetched before the governor counts the call: no token, no call spent.
    if (spec.host === 'api') headers.Authorization = `Bearer ${await this.bearer(spec.endpoint, spec.context)}`;
    if (spec.contentType !== undefined) headers['Content-Type'] = spec.contentType;
    const url = new URL(`${spec.host === 'api' ? this.apiBase : this.publicBase}/${spec.path}`);
    for (const [k, v] of spec.query ?? []) url.searchParams.append(k, v);

    await this.options.governor.acquire(governed);
    // The caller's last word before the request leaves (the upload's write-ahead record).
    if (spec.beforeSend !== undefined) await spec.beforeSend();

    const at = this.options.clock.now();
    const started = performance.now();
    let answer: AnafAnswer | null = null;
    let durationMs = 0;
    let result: T | undefined;
    let error: EfactError | null = null;
    try {
      answer = await exchange(
        this.fetchFn,
        {
          method: spec.method,
          url: url.toString(),
          headers,
          ...(spec.body !== undefined ? { body: spec.body } : {}),
          timeoutMs: this.timeoutMs,
          maxResponseBytes: this.maxResponseBytes,
        },
        spec.endpoint,
      );
      durationMs = Math.round(performance.now() - started);
      result = spec.parse(answer, { endpoint: spec.endpoint, now: this.options.clock.now() });
    } catch (e) {
      if (durationMs === 0) durationMs = Math.round(performance.now() - started);
      error = asEfactError(e);
    }

    this.record(spec, at, answer?.status ?? error?.httpStatus ?? null, durationMs, error);
    if (error) {
      if (error.kind === 'quota') {
        try {
          this.options.governor.reportQuota(governed, error);
        } catch {
          // The governor's trouble must not hide ANAF's answer from the caller.
        }
      }
      throw error;
    }
    return result as T;
  }

  private record(spec: CallSpec<unknown>, at: Date, httpStatus: number | null, durationMs: number, error: EfactError | null): void {
    const message = error === null ? null : (error.platformMessage ?? error.message).slice(0, 2000);
    try {
      this.options.ledger.record({
        at,
        instance: this.options.instance,
        platform: 'anaf',
        environment: spec.context.environment,
        endpoint: spec.endpoint,
        companyCif: normalizeCif(spec.context.companyCif) ?? spec.context.companyCif,
        invoiceId: spec.context.invoiceId ?? null,
        httpStatus,
        durationMs,
        outcome: error === null ? 'ok' : error.kind,
        message,
      });
    } catch {
      // A ledger failure must never lose an answer (an upload id lost means a duplicate later).
    }
  }
}

/**
 * NOTE: an upload that timed out, lost its connection, met a 5xx or got an unreadable 200 may
 * have been accepted by ANAF (slow answers of 10 s and more are reported). Such errors carry
 * `details.uncertain = true`: reconcile against the message list, never re-upload blindly.
 */
function markUncertainUpload(e: unknown): unknown {
  if (!(e instanceof EfactError)) return e;
  const uncertainCodes = ['PLATFORM_TIMEOUT', 'PLATFORM_UNAVAILABLE', 'PLATFORM_MALFORMED_ANSWER'];
  if (!uncertainCodes.includes(e.code)) return e;
  // A technical error answered in ANAF's own format is a refusal, not an uncertainty.
  if (anafReasonOf(e) === 'technical') return withDetails(e, { uncertain: false });
  const reached = e.details?.mayHaveReachedPlatform;
  return withDetails(e, { uncertain: reached !== false });
}
