/**
 * What each route declared about access, collected as routes are registered, and written into
 * the OpenAPI document: `x-efact-access` on every operation, the security schemes, and the
 * Idempotency-Key header on every POST.
 */
import type { RouteAccess } from './route-access.js';

export interface PublishedAccess {
  role: string;
  /** public | self | all | filtered | company */
  tenant: string;
  /** For tenant 'company': what the path parameter names (cif, invoice, ...). */
  via?: string;
}

/** fastify's `/companies/:cif` as OpenAPI's `/companies/{cif}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export class AccessRegistry {
  private readonly routes = new Map<string, RouteAccess>();

  record(method: string, url: string, access: RouteAccess): void {
    this.routes.set(`${method.toLowerCase()} ${openApiPath(url)}`, access);
  }

  get(method: string, path: string): RouteAccess | undefined {
    return this.routes.get(`${method.toLowerCase()} ${path}`);
  }

  static publish(access: RouteAccess): PublishedAccess {
    const t = access.tenant;
    return typeof t === 'string' ? { role: access.role, tenant: t } : { role: access.role, tenant: 'company', via: t.via };
  }

  /** Adds the declarations to a generated OpenAPI 3 document (mutates and returns it). */
  annotate<T extends { paths?: Record<string, Record<string, any>>; components?: Record<string, any> }>(doc: T): T {
    doc.components = doc.components ?? {};
    doc.components['securitySchemes'] = {
      bearer: { type: 'http', scheme: 'bearer', description: 'An Efact API key (efact apikey create)' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    };
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        const access = this.get(method, path);
        if (access === undefined || op === null || typeof op !== 'object') continue;
        op['x-efact-access'] = AccessRegistry.publish(access);
        op['security'] = access.tenant === 'public' ? [] : [{ bearer: [] }, { apiKey: [] }];
        if (method === 'post') {
          const params = (op['parameters'] ??= []) as Array<Record<string, unknown>>;
          if (!params.some((p) => p['in'] === 'header' && String(p['name']).toLowerCase() === 'idempotency-key')) {
            params.push({
              in: 'header',
              name: 'Idempotency-Key',
              required: false,
              description: 'Repeating the request with the same key within 24 h returns the first answer without acting again',
              schema: { type: 'string', minLength: 1, maxLength: 200 },
            });
          }
        }
      }
    }
    return doc;
  }
}
