import { afterEach, describe, expect, it } from 'vitest';
import { makeCif } from '../domain/cif.js';
import { COMPANY_CIF, XML_HEADERS, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const NEW_CIF = makeCif('4444444');
const post = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/companies', payload });
const patch = (cif: string, payload: object) => h.app.inject({ method: 'PATCH', url: `/api/v1/companies/${cif}`, payload });
const del = (cif: string, query = '') => h.app.inject({ method: 'DELETE', url: `/api/v1/companies/${cif}${query}` });

describe('POST /api/v1/companies', () => {
  it('adds a company given with RO, stores the CIF without it, and wakes the engine', async () => {
    h = await makeApi();
    const res = await post({ cif: `RO${NEW_CIF}`, shortName: 'NEW', name: 'New SRL', environment: 'test', exportFolder: '/srv/erp/new', partitionFilter: "branch = 'Iasi'", oauthProfile: 'main' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['location']).toBe(`/api/v1/companies/${NEW_CIF}`);
    expect(res.json()).toMatchObject({ cif: NEW_CIF, shortName: 'NEW', exportFolder: '/srv/erp/new', partitionFilter: "branch = 'Iasi'", oauthProfile: 'main', managedBy: 'store', removedAt: null });
    expect(h.store.companies.find((c) => c.cif === NEW_CIF)).toBeDefined();
    expect(h.engine.woken).toEqual([undefined]);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/companies/RO${NEW_CIF}` })).json().shortName).toBe('NEW');
  });

  it('refuses bad fields naming them: check digit, filter with its column, relative folder, unknown field, taken CIF or short name', async () => {
    h = await makeApi();
    const digit = await post({ cif: 'RO12345678', shortName: 'X', name: 'X SRL' });
    expect(digit.statusCode).toBe(400);
    expect(digit.json<ErrorBody>().error.message).toContain('cif: RO12345678 has a wrong check digit');
    const filter = await post({ cif: NEW_CIF, shortName: 'X', name: 'X SRL', partitionFilter: "branch = 'Iasi' and" });
    expect(filter.statusCode).toBe(400);
    expect(filter.json<ErrorBody>().error.message).toMatch(/^partitionFilter: .*column \d+/);
    const folder = await post({ cif: NEW_CIF, shortName: 'X', name: 'X SRL', exportFolder: 'erp/out' });
    expect(folder.json<ErrorBody>().error.message).toContain('exportFolder: "erp/out" is not an absolute path');
    const typo = await post({ cif: NEW_CIF, shortName: 'X', name: 'X SRL', exportFolde: '/x' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json<ErrorBody>().error.message).toContain('"exportFolde": unknown field');
    const taken = await post({ cif: COMPANY_CIF, shortName: 'X', name: 'X SRL' });
    expect(taken.statusCode).toBe(409);
    const shortName = await post({ cif: NEW_CIF, shortName: 'acme', name: 'X SRL' });
    expect(shortName.statusCode).toBe(409);
    expect(shortName.json<ErrorBody>().error.message).toContain('short names must be unique');
    expect(h.store.companies).toHaveLength(1);
  });
});

describe('PATCH /api/v1/companies/{cif}', () => {
  it('changes the given fields and clears with ""', async () => {
    h = await makeApi();
    await post({ cif: NEW_CIF, shortName: 'NEW', name: 'New SRL', exportFolder: '/a' });
    const res = await patch(NEW_CIF, { name: 'Renamed SRL', exportFolder: '', oauthProfile: 'second' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ shortName: 'NEW', name: 'Renamed SRL', exportFolder: null, oauthProfile: 'second' });
    expect((await patch(NEW_CIF, {})).json<ErrorBody>().error.message).toContain('nothing to change');
  });

  it('refuses a company of the configuration file, and an environment change once invoices exist', async () => {
    h = await makeApi({ configuredCifs: [COMPANY_CIF] });
    const res = await patch(COMPANY_CIF, { name: 'Other' });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toContain('is defined in the configuration file');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/companies' })).json().items[0].managedBy).toBe('config');
    await post({ cif: NEW_CIF, shortName: 'NEW', name: 'New SRL' });
    const company = h.store.companies.find((c) => c.cif === NEW_CIF)!;
    h.store.addInvoice(company.id);
    const env = await patch(NEW_CIF, { environment: 'prod' });
    expect(env.statusCode).toBe(409);
    expect(env.json<ErrorBody>().error.message).toContain('efact promote');
  });
});

describe('DELETE /api/v1/companies/{cif}', () => {
  it('needs force while invoices are open; then keeps invoices readable, refuses new ones, and comes back when added again', async () => {
    h = await makeApi();
    await post({ cif: NEW_CIF, shortName: 'NEW', name: 'New SRL' });
    const company = h.store.companies.find((c) => c.cif === NEW_CIF)!;
    const open = h.store.addInvoice(company.id, { status: 'processing' });
    const refused = await del(NEW_CIF);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().error.message).toContain('still has 1 open invoices');
    expect(refused.json<ErrorBody>().error.message).toContain('force');
    const removed = await del(NEW_CIF, '?force=true');
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ removed: true, openInvoices: 1, company: { cif: NEW_CIF } });
    expect(removed.json().company.removedAt).not.toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/companies' })).json().items.map((c: { cif: string }) => c.cif)).toEqual([COMPANY_CIF]);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/companies/${NEW_CIF}` })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/invoices/${open.id}` })).statusCode).toBe(200);
    const submit = await h.app.inject({ method: 'POST', url: `/api/v1/companies/${NEW_CIF}/invoices`, headers: XML_HEADERS, payload: ublInvoice({ supplierCif: NEW_CIF }) });
    expect(submit.statusCode).toBe(404);
    expect((await del(NEW_CIF, '?force=true')).statusCode).toBe(404);
    const back = await post({ cif: NEW_CIF, shortName: 'NEW', name: 'New SRL' });
    expect(back.statusCode).toBe(201);
    expect(back.json()).toMatchObject({ id: company.id, removedAt: null, counts: { processing: 1 } });
  });

  it('removes a company without open invoices at once', async () => {
    h = await makeApi();
    await post({ cif: NEW_CIF, shortName: 'NEW', name: 'New SRL' });
    const company = h.store.companies.find((c) => c.cif === NEW_CIF)!;
    h.store.addInvoice(company.id, { status: 'downloaded' });
    expect((await del(`RO${NEW_CIF}`)).statusCode).toBe(200);
  });
});

describe('POST /api/v1/companies/{cif}/promote', () => {
  it('needs confirm: true, moves test invoices to production, and refuses a company already in prod', async () => {
    h = await makeApi();
    h.store.addInvoice(h.company.id, { status: 'downloaded', uploadId: 'u1' });
    const url = `/api/v1/companies/${COMPANY_CIF}/promote`;
    expect((await h.app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(400);
    const res = await h.app.inject({ method: 'POST', url, payload: { confirm: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ moved: 1, company: { environment: 'prod', counts: { queued: 1 } } });
    expect(h.engine.woken).toEqual([h.company.id]);
    expect((await h.app.inject({ method: 'POST', url, payload: { confirm: true } })).statusCode).toBe(409);
  });
});
