import { afterEach, describe, expect, it } from 'vitest';
import { EfactError } from '../domain/errors.js';
import { mapError } from './error-handler.js';
import { makeApi, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

describe('error handler', () => {
  it('answers an unknown route with 404 in the same error shape', async () => {
    h = await makeApi();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>()).toEqual({
      error: {
        code: 'EFACT_ERR_NOT_FOUND',
        kind: 'invalid-input',
        message: 'no route GET /api/v1/nothing-here',
        details: { method: 'GET', path: '/api/v1/nothing-here' },
      },
    });
  });

  it('answers an unexpected failure with 500 and no internals', async () => {
    h = await makeApi();
    h.store.getInvoice = async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/efact/efact.db');
    };
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/invoices/1' });
    expect(res.statusCode).toBe(500);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe('EFACT_ERR_INTERNAL');
    expect(err.kind).toBe('permanent');
    expect(res.body).not.toContain('SQLITE');
    expect(res.body).not.toContain('/var/lib');
    expect(err.message).toContain('request id');
  });

  it('hides the message of an EfactError INTERNAL too', async () => {
    h = await makeApi();
    h.store.addInvoice(h.company.id);
    h.store.xml.clear();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/invoices/1/xml' });
    expect(res.statusCode).toBe(500);
    expect(res.json<ErrorBody>().error.message).not.toContain('no stored XML');
  });

  it('answers a broken JSON body with 400 INVALID_REQUEST', async () => {
    h = await makeApi();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/companies/${h.company.cif}/resume`,
      headers: { 'content-type': 'application/json' },
      payload: '{broken',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('EFACT_ERR_INVALID_REQUEST');
  });
});

describe('mapError', () => {
  const ctx = { requestId: 'req-1' };

  it('keeps an EfactError with its own status, code and details', () => {
    const e = new EfactError('WRONG_SUPPLIER', 'supplier is 18', { details: { invoiceCif: '18' } });
    const m = mapError(e, ctx);
    expect(m.status).toBe(422);
    expect(m.error).toBe(e);
    expect(m.serverFault).toBe(false);
  });

  it('maps fastify body-too-large to 413 TOO_LARGE with the route limit', () => {
    const e = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    const m = mapError(e, { ...ctx, bodyLimit: 12345 });
    expect(m.status).toBe(413);
    expect(m.error.publicCode).toBe('EFACT_ERR_TOO_LARGE');
    expect(m.error.message).toContain('12345 bytes');
  });

  it('names the field of a validation error', () => {
    const e = Object.assign(new Error('querystring/limit must be <= 500'), {
      code: 'FST_ERR_VALIDATION',
      statusCode: 400,
      validationContext: 'querystring',
      validation: [{ keyword: 'maximum', instancePath: '/limit', message: 'must be <= 500', params: { limit: 500 } }],
    });
    const m = mapError(e, ctx);
    expect(m.status).toBe(400);
    expect(m.error.publicCode).toBe('EFACT_ERR_INVALID_REQUEST');
    expect(m.error.message).toBe('invalid query parameter "limit": must be <= 500');
    expect(m.error.details).toMatchObject({ field: 'limit', rule: 'maximum' });
  });

  it('turns anything else into a 500 server fault', () => {
    const m = mapError('boom', ctx);
    expect(m).toMatchObject({ status: 500, serverFault: true });
    expect(m.error.message).not.toContain('boom');
  });
});
