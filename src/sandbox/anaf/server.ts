/**
 * The built-in ANAF RO e-Factura sandbox: a fastify app on 127.0.0.1 that answers like
 * ANAF's API host (`/test|prod/FCTEL/rest/...`), its public services and its OAuth server,
 * from one base URL. In-process for tests and the demo; standalone behind `efact sandbox`.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { KeyObject } from 'node:crypto';
import type { Environment } from '../../domain/company.js';
import { makeCif } from '../../domain/cif.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { anafDay } from '../../adapters/anaf/time.js';
import { sendGeneralError, sendJson, settledNow, type SandboxContext } from './context.js';
import { SandboxCounters } from './counters.js';
import { defaultDecide, type DecideFn } from './decision.js';
import type { FaultConfig, UploadHangOptions } from './faults.js';
import { registerHooks } from './hooks.js';
import { DEFAULT_QUOTAS, QuotaBook, type QuotaLimits } from './quotas.js';
import { seededRng } from './rng.js';
import { registerDownloadRoute, answerZip } from './routes/download.js';
import { registerListRoutes } from './routes/lists.js';
import { OAuthIssuer, registerCertificateOAuthRoutes, registerOAuthRoutes, type OAuthOptions } from './routes/oauth.js';
import { sandboxPki, type SandboxPki } from './oauth/pki.js';
import { registerPublicRoutes } from './routes/public.js';
import { registerStatusRoute } from './routes/status.js';
import { registerUploadRoutes } from './routes/upload.js';
import { buildSampleInvoice } from './sample-invoice.js';
import { SandboxSigner, type SignatureVerdict } from './signature.js';
import { PlatformState, type MessageRecord, type UploadRecord } from './state.js';
import { PROCESSING, TIP } from './texts.js';
import { TokenBook, type TokenRights } from './tokens.js';

export interface AnafSandboxOptions {
  /** 0 (default) picks a free port. The sandbox listens on 127.0.0.1 only. */
  port?: number;
  /** Default: the system clock. Tests pass a ManualClock and move it. */
  clock?: Clock;
  /** How long an upload stays "in prelucrare" on the sandbox clock; default 2000, 0 = decided at upload. */
  processingDelayMs?: number;
  /** The ok / nok decision; default a few simple CIUS-RO checks (see decision.ts). */
  decide?: DecideFn;
  /** Accepted bearer tokens → CIFs they have SPV rights for. Default: any non-empty token, every CIF. */
  tokens?: TokenRights;
  /** ANAF's limits by default; each overridable (benchmarks raise perMinute). */
  quotas?: Partial<QuotaLimits>;
  faults?: FaultConfig;
  /** Seed of every random choice (faults, support ids, trace ids). Default 1. */
  seed?: number;
  /** Fastify's logger; default off. */
  logger?: boolean;
  /** CIFs registered for `executare=DA` uploads. Default none. */
  enforcementCifs?: string[];
  /** `serial` in list answers. */
  serial?: string;
  /** HTTP status of the paginated list's `{eroare}` answers: 400 as ANAF's description files them (default), or 200. */
  pagedListErrorStatus?: 200 | 400;
  oauth?: OAuthOptions;
}

export interface IncomingInvoiceOptions {
  environment?: Environment;
  /** Who receives it (the sandbox caller's company). */
  buyerCif: string;
  /** Default a fixed valid CIF. */
  supplierCif?: string;
  /** Default a sample invoice from supplier to buyer. */
  xml?: string | Uint8Array;
  invoiceId?: string;
  /** When ANAF created the message; default now on the sandbox clock. */
  at?: Date;
}

export interface IncomingInvoice {
  /** What `descarcare` takes. */
  id: string;
  /** id_solicitare: the supplier's upload index. */
  uploadIndex: string;
  xml: Uint8Array;
}

/** Read-only views of the platform's memory, verdicts due by now revealed. */
export interface SandboxInspector {
  uploads(environment?: Environment): UploadRecord[];
  upload(environment: Environment, index: string): UploadRecord | undefined;
  /** Messages, optionally only those a CIF sees. */
  messages(environment?: Environment, cif?: string): MessageRecord[];
  message(environment: Environment, id: string): MessageRecord | undefined;
  /** The ZIP `descarcare` would serve, without spending quota. */
  answerZip(environment: Environment, id: string): Uint8Array | undefined;
  /** Forgets all uploads and messages. */
  clear(): void;
}

/** The logincert-like HTTPS host (sandbox option `oauth.tls`). */
export interface SandboxOAuthTls {
  /** e.g. https://127.0.0.1:43211 — authorize, token and revoke under /anaf-oauth2/v1/. */
  url: string;
  /** PEM of the sandbox CA that signed the host's certificate and the client certificate. */
  ca: string;
  /** A client certificate from the sandbox CA: what a person's browser presents. */
  clientCertificate: { cert: string; key: string };
  /** A client certificate from a CA the sandbox does not trust. */
  strangerCertificate: { cert: string; key: string };
}

export interface AnafSandbox {
  /** OAuth issuer state (grant counts for tests) and the TLS host, when started. */
  oauth: { issuer: OAuthIssuer; tls: SandboxOAuthTls | null };
  /** e.g. http://127.0.0.1:43210 — base of the API, public and OAuth paths alike. */
  url: string;
  port: number;
  clock: Clock;
  /** Live fault settings: change fields at any time. */
  faults: FaultConfig;
  setFaults(config: FaultConfig): void;
  /** Makes the next matching accepted upload(s) go silent (see UploadHangOptions). */
  hangUploads(options?: UploadHangOptions): void;
  counters: SandboxCounters;
  quotas: QuotaBook;
  state: SandboxInspector;
  /** A FACTURA PRIMITA message for `buyerCif`, with a downloadable ZIP. */
  injectIncomingInvoice(options: IncomingInvoiceOptions): IncomingInvoice;
  /** The same check as POST /api/validate/signature. */
  verifySignature(content: Uint8Array, signature: Uint8Array): SignatureVerdict;
  /** The key the sandbox signs answers with. */
  publicKey: KeyObject;
  app: FastifyInstance;
  close(): Promise<void>;
}

const BODY_LIMIT = 32 * 1024 * 1024;
const DEFAULT_SUPPLIER_CIF = makeCif('1888888');

function buildContext(options: AnafSandboxOptions, closing: AbortSignal): SandboxContext {
  const clock = options.clock ?? systemClock;
  return {
    clock,
    state: new PlatformState(),
    quotas: new QuotaBook({ ...DEFAULT_QUOTAS, ...options.quotas }, clock),
    counters: new SandboxCounters(),
    faults: { ...options.faults },
    hangs: [],
    rng: seededRng(options.seed ?? 1),
    signer: new SandboxSigner(),
    decide: options.decide ?? defaultDecide,
    processingDelayMs: options.processingDelayMs ?? 2000,
    tokens: new TokenBook(options.tokens),
    enforcementCifs: new Set(options.enforcementCifs ?? []),
    serial: options.serial ?? '1234AA456',
    pagedListErrorStatus: options.pagedListErrorStatus ?? 400,
    closing,
  };
}

function buildApp(ctx: SandboxContext, options: AnafSandboxOptions, issuer: OAuthIssuer): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  // Every body arrives raw: ANAF takes any content type, and the sandbox itself must be able
  // to answer "Marime fisier transmis mai mare de 10 MB.".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    request.log.error(error);
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    return sendGeneralError(ctx, reply, status, error.message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, { timestamp: ctx.clock.now().toISOString(), status: 404, error: 'Not Found', path: request.url.split('?')[0] }, 404),
  );
  registerHooks(app, ctx);
  for (const environment of ['test', 'prod'] as const) {
    registerUploadRoutes(app, ctx, environment);
    registerStatusRoute(app, ctx, environment);
    registerListRoutes(app, ctx, environment);
    registerDownloadRoute(app, ctx, environment);
  }
  registerPublicRoutes(app, ctx);
  registerOAuthRoutes(app, ctx, issuer);
  return app;
}

/** logincert.anaf.ro's stand-in: HTTPS asking every client for a certificate (checked by authorize). */
async function startTlsOAuthHost(ctx: SandboxContext, issuer: OAuthIssuer, pki: SandboxPki): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    https: { key: pki.server.key, cert: pki.server.cert, ca: [pki.ca], requestCert: true, rejectUnauthorized: false },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerCertificateOAuthRoutes(app, ctx, issuer);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `https://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

function inspector(ctx: SandboxContext): SandboxInspector {
  const envs = (environment?: Environment): Environment[] => (environment ? [environment] : ['test', 'prod']);
  return {
    uploads: (environment) => {
      settledNow(ctx);
      return envs(environment).flatMap((e) => ctx.state.uploads(e));
    },
    upload: (environment, index) => {
      settledNow(ctx);
      return ctx.state.upload(environment, index);
    },
    messages: (environment, cif) => {
      settledNow(ctx);
      return envs(environment)
        .flatMap((e) => ctx.state.messages(e))
        .filter((m) => cif === undefined || m.views.some((v) => v.cif === cif));
    },
    message: (environment, id) => {
      settledNow(ctx);
      return ctx.state.message(environment, id);
    },
    answerZip: (environment, id) => {
      settledNow(ctx);
      const message = ctx.state.message(environment, id);
      return message ? answerZip(ctx, message) : undefined;
    },
    clear: () => ctx.state.clear(),
  };
}

function injectIncoming(ctx: SandboxContext, options: IncomingInvoiceOptions): IncomingInvoice {
  const environment = options.environment ?? 'test';
  const supplierCif = options.supplierCif ?? DEFAULT_SUPPLIER_CIF;
  const at = options.at ?? ctx.clock.now();
  const index = ctx.state.reserveIndex(environment);
  const source =
    options.xml ??
    buildSampleInvoice({ supplierCif, buyerCif: options.buyerCif, id: options.invoiceId ?? `PRIM-${index}`, issueDate: anafDay(at) });
  const xml = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const details = PROCESSING.sentDetails(index, supplierCif, options.buyerCif);
  const message = ctx.state.addMessage(environment, index, at.getTime(), [{ cif: options.buyerCif, tip: TIP.received, detalii: details }], xml);
  return { id: message.id, uploadIndex: index, xml };
}

export async function startAnafSandbox(options: AnafSandboxOptions = {}): Promise<AnafSandbox> {
  const closing = new AbortController();
  const ctx = buildContext(options, closing.signal);
  const issuer = new OAuthIssuer(ctx, options.oauth ?? {});
  const app = buildApp(ctx, options, issuer);
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  let tls: SandboxOAuthTls | null = null;
  let tlsApp: FastifyInstance | null = null;
  if (options.oauth?.tls) {
    const pki = sandboxPki();
    try {
      const host = await startTlsOAuthHost(ctx, issuer, pki);
      tlsApp = host.app;
      tls = { url: host.url, ca: pki.ca, clientCertificate: pki.client, strangerCertificate: pki.stranger };
    } catch (e) {
      await app.close();
      throw e;
    }
  }
  return {
    oauth: { issuer, tls },
    url: `http://127.0.0.1:${port}`,
    port,
    clock: ctx.clock,
    get faults() {
      return ctx.faults;
    },
    set faults(config: FaultConfig) {
      ctx.faults = { ...config };
    },
    setFaults(config) {
      ctx.faults = { ...config };
    },
    hangUploads(hang = {}) {
      ctx.hangs.push({
        remaining: hang.count ?? 1,
        mode: hang.mode ?? 'hang',
        ms: hang.ms ?? 60_000,
        ...(hang.invoiceId !== undefined ? { invoiceId: hang.invoiceId } : {}),
      });
    },
    counters: ctx.counters,
    quotas: ctx.quotas,
    state: inspector(ctx),
    injectIncomingInvoice: (incoming) => injectIncoming(ctx, incoming),
    verifySignature: (content, signature) => ctx.signer.verify(content, signature),
    publicKey: ctx.signer.publicKey,
    app,
    async close() {
      closing.abort();
      await tlsApp?.close();
      await app.close();
    },
  };
}
