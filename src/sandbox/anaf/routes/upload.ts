/**
 * POST upload / uploadb2c: the front door. Refusals come back at once (ExecutionStatus=1);
 * an accepted file gets its index_incarcare and a verdict that the state reveals after the
 * processing delay.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../../domain/company.js';
import type { InvoiceMetadata, UploadFlags, UploadStandard } from '../../../domain/invoice.js';
import {
  authenticate,
  isDigits,
  isMissing,
  queryOf,
  sendGeneralError,
  sendXml,
  settledNow,
  type SandboxContext,
} from '../context.js';
import { filerMismatch } from '../decision.js';
import { inspectDocument } from '../document.js';
import { uploadAccepted, uploadRefused } from '../responses.js';
import type { Verdict } from '../state.js';
import { BAD_REQUEST, UPLOAD } from '../texts.js';
import { hasAnyRights, mayActFor } from '../tokens.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const STANDARDS: readonly UploadStandard[] = ['UBL', 'CN', 'CII', 'RASP'];

export function bodyBytes(request: FastifyRequest): Buffer {
  const body = request.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.alloc(0);
}

/** The optional DA flags; a refusal text when one has another value. */
function readFlags(q: Record<string, string | undefined>): UploadFlags | string {
  const checks: Array<[keyof UploadFlags, string]> = [
    ['extern', UPLOAD.badExtern],
    ['autofactura', UPLOAD.badAutofactura],
    ['executare', UPLOAD.badExecutare],
  ];
  const flags: UploadFlags = {};
  for (const [name, refusal] of checks) {
    const v = q[name];
    if (v === undefined) continue;
    if (v !== 'DA') return refusal;
    flags[name] = true;
  }
  return flags;
}

type Intake = { refusal: string } | { verdict: Verdict; meta: InvoiceMetadata | null };

async function verdictOf(
  ctx: SandboxContext,
  bytes: Buffer,
  standard: UploadStandard,
  cif: string,
  flags: UploadFlags,
  b2c: boolean,
): Promise<Intake> {
  const doc = inspectDocument(bytes, standard, MAX_UPLOAD_BYTES);
  switch (doc.kind) {
    case 'refused':
      return { refusal: doc.message };
    case 'unprocessable':
      return { verdict: { kind: 'unprocessable', reason: doc.reason }, meta: null };
    case 'buyer-message':
      return { verdict: { kind: 'buyer-message', invoiceIndex: doc.invoiceIndex, message: doc.message }, meta: null };
    case 'invoice': {
      const errors: string[] = [];
      const mismatch = filerMismatch(doc.meta, cif, flags);
      if (mismatch) errors.push(mismatch);
      const decision = await ctx.decide(bytes, doc.meta, { root: doc.root, standard, b2c, flags, cif });
      if (!decision.ok) errors.push(...decision.errors);
      return { verdict: { kind: 'invoice', errors }, meta: doc.meta };
    }
  }
}

/** Applies a queued UploadHang, if one matches: true when the answer must not be sent now. */
async function hangIfAsked(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply, invoiceId: string | null): Promise<boolean> {
  const hang = ctx.hangs.find((h) => h.remaining > 0 && (h.invoiceId === undefined || h.invoiceId === invoiceId));
  if (!hang) return false;
  hang.remaining--;
  ctx.counters.countFault('hang');
  if (hang.mode === 'drop') {
    reply.hijack();
    request.raw.socket.destroy();
    return true;
  }
  try {
    await delay(hang.ms, undefined, { signal: ctx.closing });
  } catch {
    // the sandbox is closing: answer now (the client has long gone)
  }
  return false;
}

async function handleUpload(
  ctx: SandboxContext,
  environment: Environment,
  b2c: boolean,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const now = settledNow(ctx);
  const rights = authenticate(ctx, request, reply);
  if (rights === null) return reply;
  const q = queryOf(request);
  if (isMissing(q.standard) || isMissing(q.cif)) return sendGeneralError(ctx, reply, 400, BAD_REQUEST.uploadParams);
  const bytes = bodyBytes(request);
  if (bytes.length === 0) return sendGeneralError(ctx, reply, 400, BAD_REQUEST.uploadBody);
  const refuse = (message: string): FastifyReply => sendXml(reply, uploadRefused(now, [message]));

  const standard = q.standard as UploadStandard;
  if (!STANDARDS.includes(standard)) return refuse(UPLOAD.badStandard);
  const cif = q.cif;
  if (!isDigits(cif)) return refuse(UPLOAD.cifNotNumeric(cif));
  const flags = readFlags(q);
  if (typeof flags === 'string') return refuse(flags);
  if (flags.executare && !ctx.enforcementCifs.has(cif)) return refuse(UPLOAD.notInEnforcementRegistry(cif));
  if (!hasAnyRights(rights)) return refuse(UPLOAD.noRightsAtAll);
  if (!mayActFor(rights, cif)) return refuse(UPLOAD.noRightsForCif(cif));
  if (bytes.length > MAX_UPLOAD_BYTES) return refuse(UPLOAD.tooLarge);
  if (standard === 'RASP' && !ctx.quotas.take('rasp', environment, cif)) {
    ctx.counters.countQuotaAnswer('rasp');
    return refuse(UPLOAD.raspQuota(ctx.quotas.limits.rasp, cif));
  }

  const outcome = await verdictOf(ctx, bytes, standard, cif, flags, b2c);
  if ('refusal' in outcome) return refuse(outcome.refusal);
  const record = ctx.state.addUpload({
    environment,
    cif,
    standard,
    b2c,
    flags,
    bytes: new Uint8Array(bytes),
    meta: outcome.meta,
    verdict: outcome.verdict,
    receivedAt: now,
    decideAt: now.getTime() + ctx.processingDelayMs,
  });
  const invoiceId = outcome.meta?.invoiceId ?? null;
  if (invoiceId !== null) ctx.counters.countUpload(environment, cif, invoiceId);
  if (await hangIfAsked(ctx, request, reply, invoiceId)) return reply;
  return sendXml(reply, uploadAccepted(now, record.index));
}

export function registerUploadRoutes(app: FastifyInstance, ctx: SandboxContext, environment: Environment): void {
  app.post(`/${environment}/FCTEL/rest/upload`, (request, reply) => handleUpload(ctx, environment, false, request, reply));
  app.post(`/${environment}/FCTEL/rest/uploadb2c`, (request, reply) => handleUpload(ctx, environment, true, request, reply));
}
