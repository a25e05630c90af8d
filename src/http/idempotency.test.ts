import { afterEach, describe, expect, it } from 'vitest';
import { COMPANY_CIF, XML_HEADERS, addApiKey, bearer, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const submit = (xml: string, headers: Record<string, string>) =>
  h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/invoices`, headers: { ...XML_HEADERS, ...headers }, payload: xml });

describe('Idempotency-Key on POST', () => {
  it('answers a repeat with the first answer without acting again', async () => {
    h = await makeApi();
    const first = await submit(ublInvoice({ id: 'F 1' }), { 'idempotency-key': 'abc-1' });
    expect(first.statusCode).toBe(202);
    const causes = h.store.causes.length;
    const woken = h.engine.woken.length;
    const again = await submit(ublInvoice({ id: 'F 1' }), { 'idempotency-key': 'abc-1' });
    expect(again.statusCode).toBe(202);
    expect(again.body).toBe(first.body);
    expect(again.headers['location']).toBe(first.headers['location']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(h.store.causes.length).toBe(causes);
    expect(h.engine.woken.length).toBe(woken);
    // without the header the same bytes reach intake (which recognises them: 200 duplicate)
    expect((await submit(ublInvoice({ id: 'F 1' }), {})).statusCode).toBe(200);
  });

  it('refuses a different request under the same key with 422 and a clear message', async () => {
    h = await makeApi();
    await submit(ublInvoice({ id: 'F 1' }), { 'idempotency-key': 'k' });
    const other = await submit(ublInvoice({ id: 'F 2' }), { 'idempotency-key': 'k' });
    expect(other.statusCode).toBe(422);
    const err = other.json<ErrorBody>().error;
    expect(err.code).toBe('EFACT_ERR_IDEMPOTENCY_MISMATCH');
    expect(err.message).toContain('Idempotency-Key "k" was already used');
    expect(err.message).toContain('a different request needs a new key');
    expect(h.store.invoices).toHaveLength(1);
  });

  it('keeps keys apart per caller, and replays a refusal as it was given', async () => {
    h = await makeApi();
    const a = await addApiKey(h.store, 'a', 'operator');
    const b = await addApiKey(h.store, 'b', 'operator');
    const resume = (key: string) =>
      h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/resume`, headers: { ...bearer(key), 'idempotency-key': 'same' } });
    expect((await resume(a)).statusCode).toBe(202);
    expect((await resume(a)).headers['idempotent-replayed']).toBe('true');
    expect((await resume(b)).headers['idempotent-replayed']).toBeUndefined();
    expect(h.engine.resumed).toHaveLength(2);
    const bad = () => submit('<not xml', { ...bearer(a), 'idempotency-key': 'bad' });
    const r1 = await bad();
    expect(r1.statusCode).toBe(400);
    const r2 = await bad();
    expect(r2.statusCode).toBe(400);
    expect(r2.body).toBe(r1.body);
  });

  it("does not keep an answer that says to try again: the correction waiting for ANAF's answer is taken on the repeat", async () => {
    h = await makeApi();
    const sent = h.store.addInvoice(h.company.id, { series: 'FCT', number: '123', status: 'processing', uploadId: '5012345678' });
    const first = await submit(ublInvoice(), { 'idempotency-key': 'fix-123' });
    expect(first.statusCode).toBe(409);
    expect(first.headers['retry-after']).toBeDefined();
    sent.status = 'nok'; // ANAF answered meanwhile
    const again = await submit(ublInvoice(), { 'idempotency-key': 'fix-123' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ outcome: 'superseded', supersedes: sent.id });
  });

  it('answers 409 while the first request is still being answered, and forgets expired keys', async () => {
    h = await makeApi();
    await h.store.claimIdempotencyKey({ principal: 'local', key: 'busy', requestHash: 'x', method: 'POST', path: '/x', createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) });
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/resume`, headers: { 'idempotency-key': 'busy' } });
    // the stored hash differs from this request's, so it is a mismatch; a matching pending one is a 409
    expect(res.statusCode).toBe(422);
    const pending = [...h.store.idempotency.values()][0]!;
    const url = `/api/v1/companies/${COMPANY_CIF}/resume`;
    const { createHash } = await import('node:crypto');
    pending.requestHash = createHash('sha256').update(`POST ${url}\n`).digest('hex');
    const wait = await h.app.inject({ method: 'POST', url, headers: { 'idempotency-key': 'busy' } });
    expect(wait.statusCode).toBe(409);
    expect(wait.headers['retry-after']).toBe('1');
    pending.expiresAt = new Date(Date.now() - 1);
    expect((await h.app.inject({ method: 'POST', url, headers: { 'idempotency-key': 'busy' } })).statusCode).toBe(202);
  });

  it('never keeps a new API key: a repeated creation is not acted on and answers 409 without the secret', async () => {
    h = await makeApi();
    const admin = await addApiKey(h.store, 'admin', 'admin');
    const create = () =>
      h.app.inject({ method: 'POST', url: '/api/v1/apikeys', headers: { ...bearer(admin), 'idempotency-key': 'mk' }, payload: { name: 'erp', role: 'viewer' } });
    const first = await create();
    expect(first.statusCode).toBe(201);
    const secret = first.json().key as string;
    expect(JSON.stringify([...h.store.idempotency.values()])).not.toContain(secret);
    const again = await create();
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.message).toContain('shown only once');
    expect(h.store.apiKeys).toHaveLength(2);
  });

  it('refuses a key that is not 1–200 visible characters', async () => {
    h = await makeApi();
    const res = await submit(ublInvoice(), { 'idempotency-key': 'x'.repeat(201) });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.message).toContain('Idempotency-Key');
  });
});
