import { afterEach, describe, expect, it } from 'vitest';
import { COMPANY_CIF, OTHER_CIF, XML_HEADERS, addApiKey, bearer, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

describe('open local mode (no key configured)', () => {
  it('answers every route without a key, as a local admin', async () => {
    h = await makeApi();
    expect((await get('/api/v1/invoices')).statusCode).toBe(200);
    expect((await get('/api/v1/me')).json()).toEqual({ name: 'local (no access control configured)', role: 'admin', companies: null, via: 'local' });
  });

  it('http.auth: required refuses a request without a key even before any key exists', async () => {
    h = await makeApi({ access: { mode: 'required' } });
    const res = await get('/api/v1/invoices');
    expect(res.statusCode).toBe(401);
    expect((await get('/api/v1/health')).statusCode).toBe(200);
  });
});

describe('once a key exists', () => {
  it('refuses a request without a key with 401 and says how to send one; health and openapi stay open', async () => {
    h = await makeApi();
    await addApiKey(h.store, 'erp', 'operator');
    const res = await get('/api/v1/invoices');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="efact"');
    const err = res.json<ErrorBody>().error;
    expect(err).toMatchObject({ code: 'EFACT_ERR_UNAUTHORIZED', kind: 'auth' });
    expect(err.message).toContain('Authorization: Bearer <key>');
    expect((await get('/api/v1/health')).statusCode).toBe(200);
    expect((await get('/api/v1/openapi.json')).statusCode).toBe(200);
  });

  it('accepts the key as Bearer or X-API-Key, and refuses unknown, malformed and revoked keys', async () => {
    h = await makeApi();
    const key = await addApiKey(h.store, 'erp', 'viewer');
    expect((await get('/api/v1/invoices', bearer(key))).statusCode).toBe(200);
    expect((await get('/api/v1/invoices', { 'x-api-key': key })).statusCode).toBe(200);
    // The last character changed (to one it is not: a random key may already end in 'A').
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const unknown = await get('/api/v1/invoices', bearer(wrong));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json<ErrorBody>().error.message).toContain('not known');
    expect((await get('/api/v1/invoices', { authorization: `Basic ${key}` })).statusCode).toBe(401);
    await h.store.revokeApiKey('erp', new Date());
    const revoked = await get('/api/v1/invoices', bearer(key));
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json<ErrorBody>().error.message).toContain('"erp" was revoked');
  });

  it('GET /me gives the key\'s name, role and companies', async () => {
    h = await makeApi();
    const key = await addApiKey(h.store, 'dashboard Ana', 'operator', [COMPANY_CIF]);
    expect((await get('/api/v1/me', bearer(key))).json()).toEqual({ name: 'dashboard Ana', role: 'operator', companies: [COMPANY_CIF], via: 'api-key' });
  });
});

describe('roles', () => {
  it('a viewer reads but any POST is refused with 403, nothing done', async () => {
    h = await makeApi();
    const key = await addApiKey(h.store, 'auditor', 'viewer');
    expect((await get(`/api/v1/companies/${COMPANY_CIF}`, bearer(key))).statusCode).toBe(200);
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/invoices`, headers: { ...XML_HEADERS, ...bearer(key) }, payload: ublInvoice() });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error).toMatchObject({ code: 'EFACT_ERR_FORBIDDEN', kind: 'auth' });
    expect(res.json<ErrorBody>().error.message).toContain('viewer key: it may only read');
    expect(h.store.invoices).toHaveLength(0);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/resume`, headers: bearer(key) })).statusCode).toBe(403);
    expect(h.engine.resumed).toEqual([]);
  });

  it('an operator submits and resumes, but neither adds companies nor manages keys', async () => {
    h = await makeApi();
    const key = await addApiKey(h.store, 'erp', 'operator');
    const submit = await h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/invoices`, headers: { ...XML_HEADERS, ...bearer(key) }, payload: ublInvoice() });
    expect(submit.statusCode).toBe(202);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/resume`, headers: bearer(key) })).statusCode).toBe(202);
    const create = await h.app.inject({ method: 'POST', url: '/api/v1/companies', headers: bearer(key), payload: { cif: OTHER_CIF, shortName: 'B', name: 'B SRL' } });
    expect(create.statusCode).toBe(403);
    expect(create.json<ErrorBody>().error.message).toContain('needs the admin role');
    expect((await get('/api/v1/apikeys', bearer(key))).statusCode).toBe(403);
    const rename = await h.app.inject({ method: 'PATCH', url: `/api/v1/companies/${COMPANY_CIF}`, headers: bearer(key), payload: { name: 'Renamed SRL' } });
    expect(rename.statusCode).toBe(200);
    const folder = await h.app.inject({ method: 'PATCH', url: `/api/v1/companies/${COMPANY_CIF}`, headers: bearer(key), payload: { exportFolder: '/etc' } });
    expect(folder.statusCode).toBe(403);
    expect(folder.json<ErrorBody>().error.message).toContain('changing exportFolder needs the admin role');
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/companies/${COMPANY_CIF}`, headers: bearer(key) })).statusCode).toBe(403);
  });

  it('an admin manages keys; a new key is shown once and stored only as its hash', async () => {
    h = await makeApi();
    const admin = await addApiKey(h.store, 'root', 'admin');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/apikeys', headers: bearer(admin), payload: { name: 'erp', role: 'operator', companies: [`RO${COMPANY_CIF}`] } });
    expect(res.statusCode).toBe(201);
    const { key, apiKey } = res.json();
    expect(key).toMatch(/^efk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'erp', role: 'operator', companies: [COMPANY_CIF], revokedAt: null });
    expect(JSON.stringify(h.store.apiKeys)).not.toContain(key);
    expect((await get('/api/v1/me', bearer(key))).json().name).toBe('erp');
    const list = (await get('/api/v1/apikeys', bearer(admin))).json().items;
    expect(JSON.stringify(list)).not.toContain(key);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/apikeys/${apiKey.id}`, headers: bearer(admin) })).json().revokedAt).not.toBeNull();
    expect((await get('/api/v1/me', bearer(key))).statusCode).toBe(401);
    const unknownCompany = await h.app.inject({ method: 'POST', url: '/api/v1/apikeys', headers: bearer(admin), payload: { name: 'x', role: 'viewer', companies: ['18547290'] } });
    expect(unknownCompany.statusCode).toBe(404);
  });

  it('an admin limited to some companies may not add companies or manage keys', async () => {
    h = await makeApi();
    const key = await addApiKey(h.store, 'branch admin', 'admin', [COMPANY_CIF]);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/apikeys', headers: bearer(key), payload: { name: 'x', role: 'admin' } });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toContain('needs a key for all companies');
    expect(h.store.apiKeys).toHaveLength(1);
  });
});

describe('throttling', () => {
  it('stops a client presenting wrong keys with 429 and Retry-After, even when it then presents a good one', async () => {
    h = await makeApi({ access: { signInLimit: { max: 3, windowSeconds: 60 } } });
    const good = await addApiKey(h.store, 'erp', 'viewer');
    const wrong = bearer(`efk_${'A'.repeat(43)}`);
    for (let i = 0; i < 3; i++) expect((await get('/api/v1/invoices', wrong)).statusCode).toBe(401);
    const blocked = await get('/api/v1/invoices', wrong);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json<ErrorBody>().error.code).toBe('EFACT_ERR_TOO_MANY_REQUESTS');
    expect((await get('/api/v1/invoices', bearer(good))).statusCode).toBe(429);
    // another client is not affected
    const other = await h.app.inject({ method: 'GET', url: '/api/v1/invoices', headers: bearer(good), remoteAddress: '127.0.0.2' });
    expect(other.statusCode).toBe(200);
  });

  it('throttles the same GET repeated in a tight loop by one caller with 429 and Retry-After; other URLs and callers go on', async () => {
    h = await makeApi({ access: { repeatLimit: { max: 5, windowSeconds: 60 } } });
    const a = await addApiKey(h.store, 'erp', 'viewer');
    const b = await addApiKey(h.store, 'other', 'viewer');
    for (let i = 0; i < 5; i++) expect((await get('/api/v1/invoices?status=nok', bearer(a))).statusCode).toBe(200);
    const res = await get('/api/v1/invoices?status=nok', bearer(a));
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json<ErrorBody>().error.message).toContain('repeated more than 5 times in 60 s');
    expect((await get('/api/v1/invoices?status=ok', bearer(a))).statusCode).toBe(200);
    expect((await get('/api/v1/invoices?status=nok', bearer(b))).statusCode).toBe(200);
  });
});
