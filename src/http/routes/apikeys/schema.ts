import type { ApiKey } from '../../../domain/access.js';

export const apiKeySchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'companies', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
    companies: { type: ['array', 'null'], items: { type: 'string' }, description: 'CIFs the key reaches; null: every company' },
    prefix: { type: 'string', description: 'The first characters of the key, to recognise it' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export function serializeApiKey(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    companies: k.companies,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
