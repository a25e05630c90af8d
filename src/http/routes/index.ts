/** Registers every route of /api/v1, each a plugin of its own (routes/<resource>/<operation>.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { healthRoute } from './health/get.js';
import { openApiRoute } from './openapi/get.js';
import { listCompaniesRoute } from './companies/list.js';
import { resumeCompanyRoute } from './companies/resume.js';
import { intakeRejectionsRoute } from './companies/intake-rejections.js';
import { submitInvoiceRoute } from './invoices/submit.js';
import { listInvoicesRoute } from './invoices/list.js';
import { getInvoiceRoute } from './invoices/get.js';
import { getInvoiceXmlRoute } from './invoices/get-xml.js';
import { getInvoiceArchiveRoute } from './invoices/get-archive.js';
import { authStatusRoute } from './auth/status.js';
import { oauthCallbackRoute } from './auth/callback.js';

export function apiRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (api) => {
    await api.register(healthRoute(deps));
    await api.register(openApiRoute());
    await api.register(listCompaniesRoute(deps));
    await api.register(resumeCompanyRoute(deps));
    await api.register(intakeRejectionsRoute(deps));
    await api.register(submitInvoiceRoute(deps));
    await api.register(listInvoicesRoute(deps));
    await api.register(getInvoiceRoute(deps));
    await api.register(getInvoiceXmlRoute(deps));
    await api.register(getInvoiceArchiveRoute(deps));
    await api.register(authStatusRoute(deps));
    await api.register(oauthCallbackRoute(deps));
  };
}
