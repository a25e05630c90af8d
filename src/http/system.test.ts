import { afterEach, describe, expect, it } from 'vitest';
import type { CompanyEngineState } from '../engine/engine-control.js';
import { ALL_STATUSES } from '../domain/invoice-status.js';
import { COMPANY_CIF, makeApi, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

function state(companyId: number, cif: string, p: Partial<CompanyEngineState> = {}): CompanyEngineState {
  return {
    companyId,
    cif,
    environment: 'test',
    sendingEnabled: true,
    phase: 'running',
    backoffUntil: null,
    quotaPausedUntil: null,
    lastPassAt: null,
    lastChangeAt: null,
    lastError: null,
    ...p,
  };
}

describe('GET /api/v1/health', () => {
  it('reports ok, the version, the time and the engine phases', async () => {
    h = await makeApi();
    h.engine.current = [
      state(1, COMPANY_CIF, { phase: 'backoff', backoffUntil: new Date('2025-03-01T10:00:00Z') }),
      state(2, '18', { phase: 'running', lastError: 'PLATFORM_TIMEOUT' }),
      state(3, '26', { phase: 'backoff' }),
    ];
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.version).toBe('9.9.9-test');
    expect(Number.isNaN(Date.parse(body.time))).toBe(false);
    expect(body.engine).toEqual({
      companies: 3,
      phases: { running: 1, idle: 0, backoff: 2, 'paused-quota': 0, stopped: 0 },
      withErrors: 1,
    });
  });

  it('refuses an unknown query parameter, naming it', async () => {
    h = await makeApi();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/health?verbose=1' });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('EFACT_ERR_INVALID_REQUEST');
    expect(body.error.message).toContain('"verbose"');
  });
});

describe('GET /api/v1/companies', () => {
  it('lists companies with counts for every status and their engine state', async () => {
    h = await makeApi();
    const other = h.store.addCompany({ cif: '18', shortName: 'BETA' });
    h.store.addInvoice(h.company.id, { status: 'queued' });
    h.store.addInvoice(h.company.id, { status: 'queued' });
    h.store.addInvoice(h.company.id, { status: 'nok', environment: 'prod' });
    h.store.addInvoice(other.id, { status: 'downloaded' });
    h.engine.current = [state(h.company.id, COMPANY_CIF, { phase: 'backoff', backoffUntil: new Date('2025-03-01T10:00:00Z') })];

    const res = await h.app.inject({ method: 'GET', url: '/api/v1/companies' });
    expect(res.statusCode).toBe(200);
    const [acme, beta] = res.json().items;
    expect(acme).toMatchObject({ id: h.company.id, cif: COMPANY_CIF, shortName: 'ACME', environment: 'test', sendingEnabled: true });
    expect(Object.keys(acme.counts).sort()).toEqual([...ALL_STATUSES, 'total'].sort());
    expect(acme.counts).toMatchObject({ queued: 2, nok: 1, downloaded: 0, total: 3 });
    expect(acme.engine).toEqual({
      phase: 'backoff',
      sendingEnabled: true,
      backoffUntil: '2025-03-01T10:00:00.000Z',
      quotaPausedUntil: null,
      lastPassAt: null,
      lastChangeAt: null,
      lastError: null,
    });
    expect(beta.counts).toMatchObject({ downloaded: 1, total: 1 });
    expect(beta.engine).toBeNull();
  });
});

describe('POST /api/v1/companies/{cif}/resume', () => {
  it('ends the back-off of that company and answers 202, with or without RO', async () => {
    h = await makeApi();
    h.engine.current = [state(h.company.id, COMPANY_CIF, { phase: 'backoff', backoffUntil: new Date('2025-03-01T10:00:00Z') })];
    for (const cif of [COMPANY_CIF, `RO${COMPANY_CIF}`, `ro${COMPANY_CIF}`]) {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/companies/${cif}/resume` });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ cif: COMPANY_CIF, resumed: true, engine: { phase: 'running', backoffUntil: null } });
    }
    expect(h.engine.resumed).toEqual([h.company.id, h.company.id, h.company.id]);
  });

  it('answers 404 EFACT_ERR_UNKNOWN_COMPANY for a CIF not configured', async () => {
    h = await makeApi();
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/companies/RO18/resume' });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error).toMatchObject({ code: 'EFACT_ERR_UNKNOWN_COMPANY', kind: 'invalid-input' });
    expect(h.engine.resumed).toEqual([]);
  });

  it('answers 400 naming the cif when it is not a CIF at all', async () => {
    h = await makeApi();
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/companies/ACME/resume' });
    expect(res.statusCode).toBe(400);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe('EFACT_ERR_INVALID_REQUEST');
    expect(err.message).toContain('path parameter "cif"');
  });
});

describe('GET /api/v1/companies/{cif}/intake-rejections', () => {
  it('lists the files of the export folder that were not accepted, per company', async () => {
    h = await makeApi();
    h.rejections.record({ companyCif: COMPANY_CIF, file: 'Efact2026_11/Fact/Fact7.XML', code: 'EFACT_ERR_INVALID_XML', message: 'malformed XML', at: new Date('2026-11-23T10:00:00Z') });
    h.rejections.record({ companyCif: '8000000000', file: 'other.xml', code: 'EFACT_ERR_INVALID_XML', message: 'other company', at: new Date() });
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/companies/RO${COMPANY_CIF}/intake-rejections` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [{ file: 'Efact2026_11/Fact/Fact7.XML', code: 'EFACT_ERR_INVALID_XML', message: 'malformed XML', at: '2026-11-23T10:00:00.000Z', retrying: false }],
    });
    const unknown = await h.app.inject({ method: 'GET', url: '/api/v1/companies/18547290/intake-rejections' });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('GET /api/v1/servers', () => {
  it('lists the registry read-only, marking states and the answering instance', async () => {
    const base = {
      host: 'h1',
      pid: 10,
      filter: null,
      startedAt: new Date('2025-03-01T10:00:00Z'),
      heartbeatAt: new Date('2025-03-01T10:00:00Z'),
      stoppedAt: null,
      claimed: 3,
      uploaded: 2,
    };
    const far = new Date(Date.now() + 3_600_000);
    h = await makeApi({
      servers: {
        currentServer: () => ({ serverId: 1, fencingToken: 7, filter: null }),
        listServers: async () => [
          { ...base, serverId: 1, fencingToken: 7, leaseUntil: far },
          { ...base, serverId: 2, fencingToken: 5, filter: "branch = 'Iasi'", leaseUntil: new Date('2025-03-01T10:00:30Z') },
          { ...base, serverId: 3, fencingToken: 6, leaseUntil: new Date('2025-03-01T10:00:30Z'), stoppedAt: new Date('2025-03-01T10:00:10Z') },
        ],
      },
    });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/servers' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items.map((i) => [i.serverId, i.state, i.current, i.filter])).toEqual([
      [1, 'live', true, null],
      [2, 'expired', false, "branch = 'Iasi'"],
      [3, 'stopped', false, null],
    ]);
    expect(items[0]).toMatchObject({ host: 'h1', pid: 10, claimed: 3, uploaded: 2, startedAt: '2025-03-01T10:00:00.000Z' });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/servers' })).statusCode).toBe(404);
  });
});
