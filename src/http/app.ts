/**
 * Builds the REST API as a fastify instance, not yet listening.
 *
 * The caller listens. Until access control lands, it must listen on 127.0.0.1 only: nothing here
 * authenticates a caller or scopes it to one company (ARCHITECTURE rule 6), so the API must not be
 * reachable from another machine.
 *
 *   const app = await buildApiApp({ store, intake, engine, archive, version, logger: true });
 *   await app.listen({ host: '127.0.0.1', port: 8080 });
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { API_PREFIX, type ApiDeps } from './deps.js';
import { registerErrorHandlers } from './error-handler.js';
import { registerOpenApi } from './openapi.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { apiRoutes } from './routes/index.js';

export type { ApiDeps } from './deps.js';
export { API_PREFIX, DEFAULT_UPLOAD_BODY_LIMIT } from './deps.js';

export async function buildApiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // `/api/v1/companies/` names the same resource as without the slash; refusing it helps no one.
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerErrorHandlers(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerOpenApi(app, deps.version);
  await app.register(apiRoutes(deps), { prefix: API_PREFIX });
  // Not made ready here: the caller may still add plugins (the dashboard) before listen().
  return app;
}
