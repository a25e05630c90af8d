import { createCipheriv, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCif } from '../domain/cif.js';
import { certificatePasswordName, partnerKeyName } from '../secrets/names.js';
import { COMPANY_CIF, addApiKey, bearer, makeApi, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const NEW_CIF = makeCif('4444444');
const register = (headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/companies', headers, payload: { cif: `RO${NEW_CIF}`, shortName: 'NEW', name: 'New SRL' } });
const putPassword = (payload: object, cif = NEW_CIF, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'PUT', url: `/api/v1/companies/${cif}/certificate-password`, headers, payload });

/** What a partner does, written from the documented format alone: base64(IV ‖ ciphertext ‖ tag), AES-256-GCM, key = the 32 characters. */
function partnerEncrypts(key: string, value: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(key, 'ascii'), iv);
  const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
}

describe('the partner key (InvoiCy style)', () => {
  it('is returned once by POST /companies, 32 characters, kept encrypted and shown masked afterwards', async () => {
    h = await makeApi();
    const res = await register();
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = res.json<{ partnerKey: string }>().partnerKey;
    expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(res.json()).toMatchObject({ cif: NEW_CIF, shortName: 'NEW', managedBy: 'store' });

    expect(await h.vault.get(partnerKeyName(NEW_CIF))).toBe(key);
    expect(h.vault.envelopes.get(partnerKeyName(NEW_CIF))!.envelope).not.toContain(key);

    for (const url of [`/api/v1/companies/${NEW_CIF}`, '/api/v1/companies', `/api/v1/companies/${NEW_CIF}/secrets`]) {
      const body = (await h.app.inject({ method: 'GET', url })).body;
      expect(body, url).not.toContain(key);
    }
    const secrets = (await h.app.inject({ method: 'GET', url: `/api/v1/companies/${NEW_CIF}/secrets` })).json();
    expect(secrets).toMatchObject({ partnerKey: `${key.slice(0, 4)}…${key.slice(-4)}`, certificatePassword: null, certificatePasswordSetAt: null });
    expect(secrets.partnerKeyIssuedAt).toMatch(/^\d{4}-/);
  });

  it('is not shown again to a repeat with the same Idempotency-Key (409), and the company is not added twice', async () => {
    h = await makeApi();
    const first = await register({ 'idempotency-key': 'reg-1' });
    expect(first.statusCode).toBe(201);
    const again = await register({ 'idempotency-key': 'reg-1' });
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toContain(first.json().partnerKey);
    expect(again.json<ErrorBody>().error.message).toContain('shown only once');
    expect(h.store.companies.filter((c) => c.cif === NEW_CIF)).toHaveLength(1);
  });

  it('is issued again by an admin only; the old key stops opening passwords', async () => {
    h = await makeApi();
    const admin = await addApiKey(h.store, 'admin', 'admin');
    const oldKey = (await register(bearer(admin))).json().partnerKey as string;
    const operator = await addApiKey(h.store, 'op', 'operator');
    const url = `/api/v1/companies/${NEW_CIF}/partner-key`;
    expect((await h.app.inject({ method: 'POST', url, headers: bearer(operator) })).statusCode).toBe(403);
    const res = await h.app.inject({ method: 'POST', url, headers: bearer(admin) });
    expect(res.statusCode).toBe(201);
    const newKey = res.json().partnerKey as string;
    expect(newKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newKey).not.toBe(oldKey);

    const stale = await putPassword({ password: partnerEncrypts(oldKey, 'pfx-pass'), encryption: 'aes-256-gcm' }, NEW_CIF, bearer(admin));
    expect(stale.statusCode).toBe(400);
    expect(stale.json<ErrorBody>().error.message).toContain("does not open with this company's partner key");
    const fresh = await putPassword({ password: partnerEncrypts(newKey, 'pfx-pass'), encryption: 'aes-256-gcm' }, NEW_CIF, bearer(admin));
    expect(fresh.statusCode).toBe(200);
    expect(await h.vault.get(certificatePasswordName(NEW_CIF))).toBe('pfx-pass');
  });
});

describe('PUT /api/v1/companies/{cif}/certificate-password', () => {
  it('stores a password sent in clear, never returning it', async () => {
    h = await makeApi();
    await register();
    const res = await putPassword({ password: 'Parola-certificat-1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Parola-certificat-1');
    expect(res.json()).toMatchObject({ certificatePassword: '••••' });
    expect(await h.vault.get(certificatePasswordName(NEW_CIF))).toBe('Parola-certificat-1');
    expect(h.vault.envelopes.get(certificatePasswordName(NEW_CIF))!.envelope).not.toContain('Parola');
    const shown = (await h.app.inject({ method: 'GET', url: `/api/v1/companies/${NEW_CIF}/secrets` })).body;
    expect(shown).not.toContain('Parola-certificat-1');
  });

  it('opens a password AES-256-GCM encrypted with the partner key (any UTF-8)', async () => {
    h = await makeApi();
    const key = (await register()).json().partnerKey as string;
    const res = await putPassword({ password: partnerEncrypts(key, 'parolă-țșî 💶'), encryption: 'aes-256-gcm' });
    expect(res.statusCode).toBe(200);
    expect(await h.vault.get(certificatePasswordName(NEW_CIF))).toBe('parolă-țșî 💶');
  });

  it('refuses, saying why: a changed byte, not base64, too short, no partner key, empty, unknown encryption or field', async () => {
    h = await makeApi();
    const key = (await register()).json().partnerKey as string;
    const raw = Buffer.from(partnerEncrypts(key, 'secret'), 'base64');
    raw[14] = raw[14]! ^ 1;
    const cases: Array<[object, string, string?]> = [
      [{ password: raw.toString('base64'), encryption: 'aes-256-gcm' }, 'changed in transit'],
      [{ password: 'not base64!', encryption: 'aes-256-gcm' }, 'must be base64 of IV'],
      [{ password: 'AAAA', encryption: 'aes-256-gcm' }, 'too short'],
      [{ password: partnerEncrypts(key, 'x'), encryption: 'aes-256-gcm' }, 'has no partner key', COMPANY_CIF],
      [{ password: '' }, 'password'],
      [{ password: 'x', encryption: 'des' }, 'encryption'],
      [{ password: 'x', method: 'aes' }, '"method": unknown field'],
    ];
    for (const [payload, message, cif] of cases) {
      const res = await putPassword(payload, cif ?? NEW_CIF);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<ErrorBody>().error.message).toContain(message);
    }
    expect(await h.vault.get(certificatePasswordName(NEW_CIF))).toBeNull();
  });

  it('is refused to a viewer (403) and answers 404 for a company that does not exist', async () => {
    h = await makeApi();
    await register();
    const viewer = await addApiKey(h.store, 'v', 'viewer');
    expect((await putPassword({ password: 'x' }, NEW_CIF, bearer(viewer))).statusCode).toBe(403);
    const admin = await addApiKey(h.store, 'a', 'admin');
    expect((await putPassword({ password: 'x' }, makeCif('5555555'), bearer(admin))).statusCode).toBe(404);
  });
});
