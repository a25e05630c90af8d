/**
 * Builds the REST API as a fastify instance, not yet listening.
 *
 * The caller listens. Access control (access/) authenticates callers by API key and scopes them to
 * their companies (ARCHITECTURE rule 6); while no key exists the API is open, so the caller must
 * then listen on 127.0.0.1 only (runtime.ts enforces it).
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
import { AccessRegistry } from './access/registry.js';
import { DEFAULT_ACCESS, installAccessControl } from './access/access-control.js';
import { installIdempotency } from './access/idempotency.js';

export type { ApiDeps } from './deps.js';
export { API_PREFIX, DEFAULT_UPLOAD_BODY_LIMIT } from './deps.js';

/** Fastify's typings lack the hop count: n hops is "trust the n proxies nearest to us", as proxy-addr counts them. */
function trustProxyOption(value: ApiDeps['trustProxy']): boolean | string | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

export async function buildApiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Behind a reverse proxy request.ip (sign-in throttle, loop throttle) is the client's only when the proxy is trusted.
    trustProxy: trustProxyOption(deps.trustProxy),
    // `/api/v1/companies/` names the same resource as without the slash; refusing it helps no one.
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerErrorHandlers(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const registry = new AccessRegistry();
  await registerOpenApi(app, deps.version, (doc) => registry.annotate(doc));
  const now = deps.now ?? (() => new Date());
  await installAccessControl(app, { store: deps.store, access: deps.access ?? DEFAULT_ACCESS, registry, prefix: API_PREFIX, now });
  installIdempotency(app, { store: deps.store, now });
  await app.register(apiRoutes(deps), { prefix: API_PREFIX });
  // Not made ready here: the caller may still add plugins (the dashboard) before listen().
  return app;
}
