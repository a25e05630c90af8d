/** Registers every route of /api/v1, each a plugin of its own (routes/<resource>/<operation>.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { healthRoute } from './health/get.js';
import { openApiRoute } from './openapi/get.js';
import { listCompaniesRoute } from './companies/list.js';
import { resumeCompanyRoute } from './companies/resume.js';
import { intakeRejectionsRoute } from './companies/intake-rejections.js';
import { erpFolderRoutes } from './companies/erp-folder.js';
import { submitInvoiceRoute } from './invoices/submit.js';
import { validateInvoiceRoute } from './invoices/validate.js';
import { listInvoicesRoute } from './invoices/list.js';
import { getInvoiceRoute } from './invoices/get.js';
import { getInvoiceXmlRoute } from './invoices/get-xml.js';
import { getInvoiceArchiveRoute } from './invoices/get-archive.js';
import { listServersRoute } from './servers/list.js';
import { getInvoicePdfRoute } from './invoices/get-pdf.js';
import { invoiceGridRoute } from './invoices/grid.js';
import { sendingRoutes } from './companies/sending.js';
import { governorRoute } from './dashboard/governor.js';
import { statsRoutes } from './dashboard/stats.js';
import { eventsRoute } from './dashboard/events.js';
import { authStatusRoute } from './auth/status.js';
import { oauthCallbackRoute } from './auth/callback.js';
import { createCompanyRoute } from './companies/create.js';
import { getCompanyRoute } from './companies/get.js';
import { updateCompanyRoute } from './companies/update.js';
import { removeCompanyRoute } from './companies/remove.js';
import { promoteCompanyRoute } from './companies/promote.js';
import { meRoute } from './me/get.js';
import { listApiKeysRoute } from './apikeys/list.js';
import { createApiKeyRoute } from './apikeys/create.js';
import { revokeApiKeyRoute } from './apikeys/revoke.js';

export function apiRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (api) => {
    await api.register(healthRoute(deps));
    await api.register(openApiRoute());
    await api.register(listCompaniesRoute(deps));
    await api.register(resumeCompanyRoute(deps));
    await api.register(intakeRejectionsRoute(deps));
    await api.register(erpFolderRoutes(deps));
    await api.register(submitInvoiceRoute(deps));
    await api.register(listInvoicesRoute(deps));
    await api.register(getInvoiceRoute(deps));
    await api.register(getInvoiceXmlRoute(deps));
    await api.register(getInvoiceArchiveRoute(deps));
    await api.register(listServersRoute(deps));
    // the operator dashboard's needs (web/), public like the rest
    await api.register(getInvoicePdfRoute(deps));
    await api.register(invoiceGridRoute(deps));
    await api.register(sendingRoutes(deps));
    await api.register(governorRoute(deps));
    await api.register(statsRoutes(deps));
    await api.register(eventsRoute(deps));
    await api.register(authStatusRoute(deps));
    await api.register(oauthCallbackRoute(deps));
    await api.register(createCompanyRoute(deps));
    await api.register(getCompanyRoute(deps));
    await api.register(updateCompanyRoute(deps));
    await api.register(removeCompanyRoute(deps));
    await api.register(promoteCompanyRoute(deps));
    await api.register(meRoute(deps));
    await api.register(listApiKeysRoute(deps));
    await api.register(createApiKeyRoute(deps));
    await api.register(revokeApiKeyRoute(deps));
    await api.register(validateInvoiceRoute(deps));
  };
}
