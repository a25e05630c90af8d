/**
 * GET descarcare?id=: the answer ZIP, `<id>.xml` (the invoice as uploaded, or the error
 * document) and `semnatura_<id>.xml` (the detached signature). Errors are JSON in a 200.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../../domain/company.js';
import { writeZip } from '../../../zip/zip.js';
import { authenticate, isDigits, isMissing, queryOf, sendGeneralError, sendJson, settledNow, type SandboxContext } from '../context.js';
import { isExpired, type MessageRecord } from '../state.js';
import { BAD_REQUEST, DOWNLOAD, DOWNLOAD_TITLE } from '../texts.js';
import { mayActFor } from '../tokens.js';

const signatures = new WeakMap<MessageRecord, Uint8Array>();

/** The ZIP ANAF serves for a message; the signature is made once per message and kept. */
export function answerZip(ctx: SandboxContext, message: MessageRecord): Uint8Array {
  let signature = signatures.get(message);
  if (!signature) {
    signature = new TextEncoder().encode(ctx.signer.sign(`${message.id}.xml`, message.content));
    signatures.set(message, signature);
  }
  return writeZip({ [`${message.id}.xml`]: message.content, [`semnatura_${message.id}.xml`]: signature });
}

function handleDownload(ctx: SandboxContext, environment: Environment, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const now = settledNow(ctx).getTime();
  const rights = authenticate(ctx, request, reply);
  if (rights === null) return reply;
  const id = queryOf(request).id;
  if (isMissing(id)) return sendGeneralError(ctx, reply, 400, BAD_REQUEST.downloadParam);
  // NOTE: descarcare answers its errors as JSON inside an HTTP 200, where a ZIP was expected.
  const fail = (eroare: string): FastifyReply => sendJson(reply, { eroare, titlu: DOWNLOAD_TITLE });
  if (!isDigits(id)) return fail(DOWNLOAD.notNumeric(id));
  const message = ctx.state.message(environment, id);
  if (!message) return fail(DOWNLOAD.unknown(id));
  if (!message.views.some((v) => mayActFor(rights, v.cif))) return fail(DOWNLOAD.noRights);
  if (isExpired(message, now)) return fail(DOWNLOAD.expired(id));
  if (!ctx.quotas.take('download', environment, id)) {
    ctx.counters.countQuotaAnswer('download');
    return fail(DOWNLOAD.quota(ctx.quotas.limits.download));
  }
  return reply
    .code(200)
    .type('application/zip')
    .header('content-disposition', `attachment; filename="${id}.zip"`)
    .send(Buffer.from(answerZip(ctx, message)));
}

export function registerDownloadRoute(app: FastifyInstance, ctx: SandboxContext, environment: Environment): void {
  app.get(`/${environment}/FCTEL/rest/descarcare`, async (request, reply) => handleDownload(ctx, environment, request, reply));
}
