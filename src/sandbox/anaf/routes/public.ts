/**
 * ANAF's unauthenticated services: validare/{FACT1|FCN}, transformare/{FACT1|FCN}[/DA]
 * (XML → PDF) on the prod path only, as ANAF lists them, and the signature check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseXml } from '../../../xml/parse.js';
import { sendGeneralError, sendJson, settledNow, type SandboxContext } from '../context.js';
import { schematronMessage } from '../decision.js';
import { inspectDocument, type InspectedDocument } from '../document.js';
import { boundaryOf, parseMultipart } from '../multipart.js';
import { renderInvoicePdf } from '../pdf.js';
import { seededUuid } from '../rng.js';
import { BAD_REQUEST, SIGNATURE, VALIDATION } from '../texts.js';
import { bodyBytes } from './upload.js';

export const MAX_VALIDATION_BYTES = 5 * 1024 * 1024;
const PUBLIC_STANDARDS = { FACT1: 'UBL', FCN: 'CN' } as const;

interface Checked {
  doc: InspectedDocument;
  messages: string[];
}

/** Runs the same checks as processing does, minus who filed it. */
async function check(ctx: SandboxContext, bytes: Buffer, standard: 'UBL' | 'CN'): Promise<Checked> {
  const doc = inspectDocument(bytes, standard, MAX_VALIDATION_BYTES);
  switch (doc.kind) {
    case 'refused':
      return { doc, messages: [doc.message] };
    case 'unprocessable':
      return { doc, messages: [schematronMessage(doc.reason)] };
    case 'buyer-message':
      return { doc, messages: [] };
    case 'invoice': {
      const decision = await ctx.decide(bytes, doc.meta, { root: doc.root, standard, b2c: false, flags: {} });
      return { doc, messages: decision.ok ? [] : decision.errors };
    }
  }
}

function nok(ctx: SandboxContext, reply: FastifyReply, messages: readonly string[]): FastifyReply {
  return sendJson(reply, { stare: 'nok', Messages: messages.map((message) => ({ message })), trace_id: seededUuid(ctx.rng) });
}

/** Standard and size checks shared by validare and transformare; the parsed standard or an answer sent. */
function precheck(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): { standard: 'UBL' | 'CN'; bytes: Buffer } | null {
  const raw = (request.params as { standard?: string }).standard ?? '';
  const standard = Object.hasOwn(PUBLIC_STANDARDS, raw) ? PUBLIC_STANDARDS[raw as keyof typeof PUBLIC_STANDARDS] : null;
  if (standard === null) {
    void nok(ctx, reply, [VALIDATION.badStandard]);
    return null;
  }
  const bytes = bodyBytes(request);
  if (bytes.length === 0) {
    void sendGeneralError(ctx, reply, 400, BAD_REQUEST.uploadBody);
    return null;
  }
  if (bytes.length > MAX_VALIDATION_BYTES) {
    void nok(ctx, reply, [VALIDATION.tooLarge]);
    return null;
  }
  return { standard, bytes };
}

async function handleValidate(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  settledNow(ctx);
  const pre = precheck(ctx, request, reply);
  if (!pre) return reply;
  const { messages } = await check(ctx, pre.bytes, pre.standard);
  if (messages.length > 0) return nok(ctx, reply, messages);
  return sendJson(reply, { stare: 'ok', trace_id: seededUuid(ctx.rng) });
}

async function handleTransform(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const now = settledNow(ctx);
  const pre = precheck(ctx, request, reply);
  if (!pre) return reply;
  // NOTE: /DA skips validation; ANAF then does not vouch for the PDF's content.
  const skipValidation = (request.params as { novld?: string }).novld === 'DA';
  const { doc, messages } = await check(ctx, pre.bytes, pre.standard);
  // Without a readable invoice there is nothing to draw, validation or not.
  if (doc.kind !== 'invoice') return nok(ctx, reply, messages.length > 0 ? messages : [VALIDATION.badStandard]);
  if (!skipValidation && messages.length > 0) return nok(ctx, reply, messages);
  const pdf = await renderInvoicePdf(doc.root, doc.meta, now);
  return reply.code(200).type('application/pdf').send(Buffer.from(pdf));
}

function handleSignature(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const technical = (): FastifyReply => sendJson(reply, { msg: SIGNATURE.technical }, 400);
  const boundary = boundaryOf(request.headers['content-type']);
  if (boundary === null) return technical();
  const parts = parseMultipart(bodyBytes(request), boundary);
  const file = parts.find((p) => p.name === 'file');
  const signature = parts.find((p) => p.name === 'signature');
  if (!file || !signature || file.data.length === 0 || signature.data.length === 0) return technical();
  try {
    parseXml(file.data);
  } catch {
    return technical();
  }
  const verdict = ctx.signer.verify(file.data, signature.data);
  if (verdict === 'not-a-signature') return technical();
  return sendJson(reply, { msg: verdict === 'valid' ? SIGNATURE.valid : SIGNATURE.invalid });
}

/** The 404 ANAF gives when the {standard} segment is missing. */
function missingStandard(ctx: SandboxContext, service: string) {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendJson(
      reply,
      { timestamp: ctx.clock.now().toISOString().replace('Z', '+00:00'), status: 404, error: 'Not Found', path: `/FCTEL/rest/${service}/` },
      404,
    );
}

export function registerPublicRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const base = '/prod/FCTEL/rest';
  app.post(`${base}/validare/:standard`, (request, reply) => handleValidate(ctx, request, reply));
  app.post(`${base}/transformare/:standard`, (request, reply) => handleTransform(ctx, request, reply));
  app.post(`${base}/transformare/:standard/:novld`, (request, reply) => handleTransform(ctx, request, reply));
  for (const service of ['validare', 'transformare']) {
    app.post(`${base}/${service}`, missingStandard(ctx, service));
    app.post(`${base}/${service}/`, missingStandard(ctx, service));
  }
  app.post('/api/validate/signature', async (request, reply) => handleSignature(ctx, request, reply));
}
