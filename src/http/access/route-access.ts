/**
 * How every route of the API declares who may call it. A route under /api/v1 without a
 * declaration is refused when the app is built, so no route can be added unguarded:
 *
 *   app.get('/companies/:cif/things', { config: { access: { role: 'viewer', tenant: companyFromCifParam } }, ... })
 *
 * `role` is the least role needed (a viewer never gets past a GET, whatever is declared).
 * `tenant` says whose data the route touches:
 * - 'public'   no key needed (health, this document, a browser callback);
 * - 'self'     about the caller only (GET /me);
 * - 'all'      needs a key that reaches every company (creating companies, managing keys);
 * - 'filtered' a list: the handler shows only the caller's companies (`visibleTo(request)`);
 * - a TenantResolver: the route addresses one company's resource; a caller whose key does not
 *   reach that company gets the route's own "not found" answer (404), exactly as if the resource
 *   did not exist, before validation and before the handler runs.
 * The declaration is published in the OpenAPI document as `x-efact-access`, which the tenant
 * isolation test reads for every operation.
 */
import type { FastifyRequest } from 'fastify';
import { normalizeCif } from '../../domain/cif.js';
import { inScope, type Principal, type Role } from '../../domain/access.js';
import { EfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Store } from '../../ports/store.js';

export interface TenantResolver {
  /** What the path parameter names, for the OpenAPI document and the isolation test ('cif', 'invoice', ...). */
  via: string;
  /** The CIF of the company owning the addressed resource; null when there is no such resource. */
  resolve(request: FastifyRequest, store: Store): Promise<string | null>;
  /** The answer given when the resource does not exist, and so also when it is outside the caller's scope. */
  notFound(request: FastifyRequest): EfactError;
}

export type TenantRule = 'public' | 'self' | 'all' | 'filtered' | TenantResolver;

export interface RouteAccess {
  role: Role;
  tenant: TenantRule;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * The answer holds a secret shown once (a new API key): a repeat with the same
     * Idempotency-Key is not acted on again, but gets 409 instead of the secret, which is never stored.
     */
    secretAnswer?: boolean;
  }
  interface FastifyRequest {
    /** Who the request acts as; null only on public routes called without a key. */
    principal: Principal | null;
  }
}

function rawParam(request: FastifyRequest, name: string): string {
  const params = request.params as Record<string, unknown> | undefined;
  return String(params?.[name] ?? '');
}

/** `{cif}` in the path names the company. */
export const companyFromCifParam: TenantResolver = {
  via: 'cif',
  async resolve(request) {
    return normalizeCif(rawParam(request, 'cif'));
  },
  notFound(request) {
    const cif = rawParam(request, 'cif');
    return new EfactError('UNKNOWN_COMPANY', `no company with CIF ${cif} is configured`, { details: { cif } });
  },
};

/** `?company=CIF` names the company (screens that show one company at a time). */
export const companyFromCompanyQuery: TenantResolver = {
  via: 'query:company',
  async resolve(request) {
    const cif = (request.query as Record<string, unknown> | undefined)?.company;
    if (typeof cif !== 'string' || cif === '') {
      throw new EfactError('INVALID_REQUEST', 'query parameter company is required (a CIF, with or without RO)', { details: { parameter: 'company' } });
    }
    return normalizeCif(cif);
  },
  notFound(request) {
    const cif = String((request.query as Record<string, unknown> | undefined)?.company ?? '');
    return new EfactError('UNKNOWN_COMPANY', `no company with CIF ${cif} is configured`, { details: { cif } });
  },
};

/** `{id}` in the path is an invoice id; its company is looked up. */
export const companyOfInvoiceParam: TenantResolver = {
  via: 'invoice',
  async resolve(request, store) {
    const id = Number(rawParam(request, 'id'));
    if (!Number.isSafeInteger(id) || id < 1) return null;
    const invoice = await store.getInvoice(id);
    // A missing invoice is answered here, before the body is validated, exactly as another
    // company's is: otherwise a route with a body would tell the two apart (400 vs 404).
    if (!invoice) throw companyOfInvoiceParam.notFound(request);
    return (await store.getCompany(invoice.companyId))?.cif ?? null;
  },
  notFound(request) {
    const id = Number(rawParam(request, 'id'));
    return new EfactError('NOT_FOUND', `no invoice with id ${rawParam(request, 'id')}`, { details: { id } });
  },
};

/** The principal of a request that passed access control (routes other than 'public'). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new EfactError('INTERNAL', 'no principal on a guarded route');
  return request.principal;
}

/** The companies a list route may show to this request. */
export function visibleTo<T extends Pick<Company, 'cif'>>(request: FastifyRequest, companies: readonly T[]): T[] {
  const p = principalOf(request);
  return companies.filter((c) => inScope(p, c.cif));
}

/** True when this request may see the company (lists use it for a `company=` filter). */
export function canSee(request: FastifyRequest, cif: string): boolean {
  return inScope(principalOf(request), cif);
}
