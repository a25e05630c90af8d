/**
 * GET listaMesajeFactura (last N days, at most 500 results) and listaMesajePaginatieFactura
 * (an interval in Unix milliseconds, 500 a page). Errors are `{eroare, titlu}` JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../../domain/company.js';
import { formatAnafDateTime, formatAnafMinute } from '../../../adapters/anaf/time.js';
import { authenticate, isDigits, isMissing, queryOf, sendGeneralError, sendJson, settledNow, type Query, type SandboxContext } from '../context.js';
import { RETENTION_MS, type ListEntry, type MessageRecord, type MessageView } from '../state.js';
import { BAD_REQUEST, FILTER_TIPS, LIST, LIST_TITLE, PAGED, type MessageTip } from '../texts.js';
import { hasAnyRights, mayActFor, type Rights } from '../tokens.js';

export const PAGE_SIZE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

function toEntry({ message, view }: { message: MessageRecord; view: MessageView }): ListEntry {
  return {
    data_creare: formatAnafMinute(new Date(message.createdAt)),
    cif: view.cif,
    id_solicitare: message.uploadIndex,
    detalii: view.detalii,
    tip: view.tip,
    id: message.id,
  };
}

/** Filter and rights checks shared by both lists; an error text, or the tips to select. */
function commonChecks(q: Query, cif: string, rights: Rights): { error: string } | { tips: readonly MessageTip[] | null } {
  const f = q.filtru;
  if (f !== undefined && f !== '' && !Object.hasOwn(FILTER_TIPS, f)) return { error: LIST.badFilter };
  if (!hasAnyRights(rights)) return { error: LIST.noRightsAtAll };
  if (!mayActFor(rights, cif)) return { error: LIST.noRightsForCif(cif) };
  return { tips: f ? FILTER_TIPS[f as keyof typeof FILTER_TIPS] : null };
}

function handleSimple(ctx: SandboxContext, environment: Environment, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const now = settledNow(ctx).getTime();
  const rights = authenticate(ctx, request, reply);
  if (rights === null) return reply;
  const q = queryOf(request);
  if (isMissing(q.zile) || isMissing(q.cif)) return sendGeneralError(ctx, reply, 400, BAD_REQUEST.listParams);
  // NOTE: the simple list answers its errors with HTTP 200 and {eroare, titlu}.
  const fail = (eroare: string): FastifyReply => sendJson(reply, { eroare, titlu: LIST_TITLE });
  const cif = q.cif;
  if (!isDigits(cif)) return fail(LIST.cifNotNumeric(cif));
  if (!/^-?\d+$/.test(q.zile)) return fail(LIST.daysNotInteger(q.zile));
  const days = Number(q.zile);
  if (days < 1 || days > 60) return fail(LIST.daysRange);
  const checked = commonChecks(q, cif, rights);
  if ('error' in checked) return fail(checked.error);
  if (!ctx.quotas.take('list', environment, cif)) {
    ctx.counters.countQuotaAnswer('list');
    return fail(LIST.quota(ctx.quotas.limits.list));
  }
  const found = ctx.state.listFor(environment, cif, now - days * DAY_MS, now, checked.tips, now);
  // NOTE: an empty list is an "eroare" in ANAF's answer, though it is no failure.
  if (found.length === 0) return fail(LIST.none(days));
  if (found.length > PAGE_SIZE) return fail(LIST.tooMany);
  return sendJson(reply, { mesaje: found.map(toEntry), serial: ctx.serial, cui: cif, titlu: LIST.title(days) });
}

function handlePaged(ctx: SandboxContext, environment: Environment, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const now = settledNow(ctx).getTime();
  const rights = authenticate(ctx, request, reply);
  if (rights === null) return reply;
  const q = queryOf(request);
  if (isMissing(q.startTime) || isMissing(q.endTime) || isMissing(q.cif) || isMissing(q.pagina)) {
    return sendGeneralError(ctx, reply, 400, BAD_REQUEST.pagedParams);
  }
  // NOTE: ANAF's description files the paginated list's errors under HTTP 400 (the simple list: 200).
  const fail = (eroare: string): FastifyReply => sendJson(reply, { eroare, titlu: LIST_TITLE }, ctx.pagedListErrorStatus);
  const cif = q.cif;
  if (!isDigits(cif)) return fail(PAGED.cifNotNumeric(cif));
  if (!isDigits(q.startTime)) return fail(PAGED.notNumber('startTime', q.startTime));
  if (!isDigits(q.endTime)) return fail(PAGED.notNumber('endTime', q.endTime));
  if (!isDigits(q.pagina) || Number(q.pagina) < 1) return fail(PAGED.notNumber('pagina', q.pagina));
  const start = Number(q.startTime);
  const end = Number(q.endTime);
  const page = Number(q.pagina);
  const show = (ms: number): string => formatAnafDateTime(new Date(ms));
  if (now - start > RETENTION_MS) return fail(PAGED.startTooOld(show(start)));
  if (end <= start) return fail(PAGED.endBeforeStart(show(end), show(start)));
  if (end > now) return fail(PAGED.endInFuture(show(end)));
  const checked = commonChecks(q, cif, rights);
  if ('error' in checked) return fail(checked.error);
  if (!ctx.quotas.take('pagedList', environment, cif)) {
    ctx.counters.countQuotaAnswer('pagedList');
    return fail(LIST.quota(ctx.quotas.limits.pagedList));
  }
  const found = ctx.state.listFor(environment, cif, start, end, checked.tips, now);
  if (found.length === 0) return fail(PAGED.none);
  const pages = Math.ceil(found.length / PAGE_SIZE);
  if (page > pages) return fail(PAGED.pageTooHigh(page, pages));
  const slice = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return sendJson(reply, {
    mesaje: slice.map(toEntry),
    numar_inregistrari_in_pagina: slice.length,
    numar_total_inregistrari_per_pagina: PAGE_SIZE,
    numar_total_inregistrari: found.length,
    numar_total_pagini: pages,
    index_pagina_curenta: page,
    serial: ctx.serial,
    cui: cif,
    titlu: PAGED.title(show(start), show(end)),
  });
}

export function registerListRoutes(app: FastifyInstance, ctx: SandboxContext, environment: Environment): void {
  app.get(`/${environment}/FCTEL/rest/listaMesajeFactura`, async (request, reply) => handleSimple(ctx, environment, request, reply));
  app.get(`/${environment}/FCTEL/rest/listaMesajePaginatieFactura`, async (request, reply) =>
    handlePaged(ctx, environment, request, reply),
  );
}
