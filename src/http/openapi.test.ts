import { afterEach, describe, expect, it } from 'vitest';
import { makeApi, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const ROUTES: Array<[string, string]> = [
  ['get', '/api/v1/health'],
  ['get', '/api/v1/openapi.json'],
  ['get', '/api/v1/companies'],
  ['post', '/api/v1/companies/{cif}/resume'],
  ['get', '/api/v1/companies/{cif}/intake-rejections'],
  ['get', '/api/v1/companies/{cif}/erp-folder'],
  ['put', '/api/v1/companies/{cif}/months'],
  ['post', '/api/v1/companies/{cif}/invoices'],
  ['post', '/api/v1/companies/{cif}/validate'],
  ['get', '/api/v1/invoices'],
  ['get', '/api/v1/invoices/{id}'],
  ['get', '/api/v1/invoices/{id}/xml'],
  ['get', '/api/v1/invoices/{id}/archive'],
  ['get', '/api/v1/servers'],
  // the dashboard's
  ['get', '/api/v1/invoices/{id}/pdf'],
  ['get', '/api/v1/invoice-grid'],
  ['post', '/api/v1/companies/{cif}/start'],
  ['post', '/api/v1/companies/{cif}/stop'],
  ['post', '/api/v1/companies/{cif}/promote'],
  ['post', '/api/v1/companies/{cif}/resend-unconfirmed'],
  ['post', '/api/v1/invoices/{id}/resend'],
  ['post', '/api/v1/invoices/{id}/upload-id'],
  ['get', '/api/v1/governor'],
  ['get', '/api/v1/stats/invoices-per-day'],
  ['get', '/api/v1/stats/calls-per-minute'],
  ['get', '/api/v1/events'],
  ['get', '/api/v1/auth/status'],
  ['get', '/api/v1/oauth/callback'],
  ['post', '/api/v1/companies'],
  ['get', '/api/v1/companies/{cif}'],
  ['patch', '/api/v1/companies/{cif}'],
  ['delete', '/api/v1/companies/{cif}'],
  ['post', '/api/v1/companies/{cif}/partner-key'],
  ['put', '/api/v1/companies/{cif}/certificate-password'],
  ['get', '/api/v1/companies/{cif}/secrets'],
  ['get', '/api/v1/me'],
  ['get', '/api/v1/apikeys'],
  ['post', '/api/v1/apikeys'],
  ['delete', '/api/v1/apikeys/{id}'],
];

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3 document listing every route, and nothing else', async () => {
    h = await makeApi();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe('9.9.9-test');
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('describes parameters, the XML request body, errors and the shared schemas', async () => {
    h = await makeApi();
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = (m: string, p: string): Operation => doc.paths[p][m];

    const submit = op('post', '/api/v1/companies/{cif}/invoices');
    expect(Object.keys(submit.requestBody!.content).sort()).toEqual(
      ['application/octet-stream', 'application/xml', 'text/plain', 'text/xml'],
    );
    expect(submit.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:cif', 'query:series', 'query:number', 'query:b2c', 'query:extern', 'query:autofactura', 'query:executare']),
    );
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '404', '409', '413', '422']));

    const list = op('get', '/api/v1/invoices');
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['company', 'status', 'series', 'number', 'from', 'to', 'after', 'limit']),
    );
    expect(Object.keys(op('get', '/api/v1/invoices/{id}/archive').responses['200']!.content!)).toEqual(['application/zip']);
    expect(Object.keys(op('get', '/api/v1/invoices/{id}/xml').responses['200']!.content!)).toEqual(['application/xml']);

    // access declarations, security schemes and Idempotency-Key on every POST
    expect(submit.parameters!.map((p) => `${p.in}:${p.name}`)).toContain('header:Idempotency-Key');
    expect((doc.paths['/api/v1/companies/{cif}/invoices'].post as Record<string, unknown>)['x-efact-access']).toEqual({ role: 'operator', tenant: 'company', via: 'cif' });
    expect((doc.paths['/api/v1/health'].get as Record<string, unknown>)['x-efact-access']).toEqual({ role: 'viewer', tenant: 'public' });
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'apiKey']);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ApiError', 'Invoice', 'InvoiceDetail', 'InvoiceEvent', 'UploadAttempt', 'EngineState', 'Company']),
    );
  });
});
