/** GET /me — who the caller is: the key's name, role and companies (the dashboard's sign-in check). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { principalOf } from '../../access/route-access.js';

const response = {
  type: 'object',
  required: ['name', 'role', 'companies', 'via'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
    companies: { type: ['array', 'null'], items: { type: 'string' }, description: 'CIFs in scope; null: every company' },
    via: { type: 'string', enum: ['api-key', 'local'], description: 'local: no access control configured yet (127.0.0.1 only)' },
  },
} as const;

export function meRoute(_deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/me',
      {
        config: { access: { role: 'viewer', tenant: 'self' } },
        schema: { tags: ['access'], summary: 'The calling key: name, role, companies', response: { 200: response, ...errorResponses(401) } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const p = principalOf(request);
        return { name: p.name, role: p.role, companies: p.companies === null ? null : [...p.companies], via: p.via };
      },
    );
  };
}
