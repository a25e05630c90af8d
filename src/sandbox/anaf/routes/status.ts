/**
 * GET stareMesaj?id_incarcare=: the state of one upload, as ANAF's stareMesajFactura header.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../../domain/company.js';
import { authenticate, isDigits, isMissing, queryOf, sendGeneralError, sendXml, settledNow, type SandboxContext } from '../context.js';
import { statusError, statusState } from '../responses.js';
import { BAD_REQUEST, STATE, STATUS } from '../texts.js';
import { hasAnyRights, mayActFor } from '../tokens.js';

function handleStatus(ctx: SandboxContext, environment: Environment, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  settledNow(ctx);
  const rights = authenticate(ctx, request, reply);
  if (rights === null) return reply;
  const id = queryOf(request).id_incarcare;
  if (isMissing(id)) return sendGeneralError(ctx, reply, 400, BAD_REQUEST.statusParam);
  if (!hasAnyRights(rights)) return sendXml(reply, statusError(STATUS.noRightsAtAll));
  if (!isDigits(id)) return sendXml(reply, statusError(STATUS.notNumeric(id)));
  const upload = ctx.state.upload(environment, id);
  if (!upload) return sendXml(reply, statusError(STATUS.unknown(id), '\n'));
  if (!mayActFor(rights, upload.cif)) return sendXml(reply, statusError(STATUS.noRights(id), '\n'));
  if (!ctx.quotas.take('status', environment, id)) {
    ctx.counters.countQuotaAnswer('status');
    return sendXml(reply, statusError(STATUS.quota(ctx.quotas.limits.status)));
  }
  switch (upload.state) {
    case 'processing':
      return sendXml(reply, statusState(STATE.processing));
    case 'rejected':
      return sendXml(reply, statusState(STATE.rejected, undefined, '\r\n'));
    case 'ok':
    case 'nok':
      return sendXml(reply, statusState(upload.state, upload.downloadId ?? undefined));
  }
}

export function registerStatusRoute(app: FastifyInstance, ctx: SandboxContext, environment: Environment): void {
  app.get(`/${environment}/FCTEL/rest/stareMesaj`, async (request, reply) => handleStatus(ctx, environment, request, reply));
}
