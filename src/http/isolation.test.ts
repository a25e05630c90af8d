/**
 * Tenant isolation, proven over every operation of the OpenAPI document (ARCHITECTURE rule 6).
 *
 * A key scoped to company A — an admin, so that only its scope can stop it — addresses company
 * B's resources through every route. Each operation's `x-efact-access` (declared by the route)
 * says what is expected:
 *   company  → 404, the very answer given for a resource that does not exist, and nothing changes;
 *   all      → 403 (needs a key for every company), nothing changes;
 *   filtered → 200 with A's rows only; a `company=` filter naming B is 404;
 *   self     → 200, nothing of B;
 *   public   → answered without a key.
 * The document is iterated, not a hand list: a new route is covered as soon as it exists, and a
 * route addressing its company by a parameter this test cannot build makes the test fail until
 * RESOURCE_OF_B below learns it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Company } from '../domain/company.js';
import { makeCif } from '../domain/cif.js';
import type { Invoice } from '../domain/invoice.js';
import { COMPANY_CIF, OTHER_CIF, addApiKey, bearer, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

interface Operation {
  'x-efact-access'?: { role: string; tenant: string; via?: string };
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, unknown> };
}

/** A CIF and an invoice id that exist nowhere: the answer B's resources must be indistinguishable from. */
const MISSING_CIF = makeCif('5555555');
const MISSING_INVOICE = 987_654;

let h: Harness;
let b: Company;
let aInvoice: Invoice;
let bInvoice: Invoice;
let keyA: string;

/** How a path parameter names a resource of company B, of company A, and of nobody, by what it names. */
const RESOURCE_OF_B: Record<string, { b: () => string; a: () => string; missing: () => string }> = {
  cif: { b: () => OTHER_CIF, a: () => COMPANY_CIF, missing: () => MISSING_CIF },
  invoice: { b: () => String(bInvoice.id), a: () => String(aInvoice.id), missing: () => String(MISSING_INVOICE) },
  'query:company': { b: () => OTHER_CIF, a: () => COMPANY_CIF, missing: () => MISSING_CIF },
};

/** The URL addressing a resource: `{param}` filled in, or `?company=` for routes that name it in the query. */
function address(path: string, via: string, value: string): string {
  if (via.startsWith('query:')) return `${path}?${via.slice('query:'.length)}=${encodeURIComponent(value)}`;
  return fill(path, () => value);
}

/** The first events of a server-sent stream (a real socket: an endless answer cannot be injected). */
async function firstEvents(path: string, key: string, ms = 700): Promise<string> {
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const ctrl = new AbortController();
  const res = await fetch(`${url}${path}`, { headers: bearer(key), signal: ctrl.signal });
  let text = '';
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ctrl.abort(), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // aborted after `ms`: what arrived is what the caller sees
  } finally {
    clearTimeout(timer);
  }
  return `${res.status}\n${text}`;
}

beforeEach(async () => {
  h = await makeApi();
  b = h.store.addCompany({ cif: OTHER_CIF, shortName: 'BETA', name: 'Beta Secret SRL' });
  h.store.addCompany({ cif: makeCif('3333333'), shortName: 'GAMMA', name: 'Gamma SRL', removedAt: new Date() });
  aInvoice = h.store.addInvoice(h.company.id, { status: 'downloaded', archivePath: 'archive/a.zip', downloadId: 'a1' });
  bInvoice = h.store.addInvoice(b.id, { status: 'downloaded', archivePath: 'archive/b.zip', downloadId: 'b1', series: 'BSERIES' });
  h.store.addInvoice(b.id, { status: 'queued' });
  h.archive.files.set('archive/a.zip', new Uint8Array([80, 75]));
  h.archive.files.set('archive/b.zip', new Uint8Array([80, 75]));
  h.rejections.record({ companyCif: OTHER_CIF, file: 'b.xml', code: 'EFACT_ERR_INVALID_XML', message: 'b only', at: new Date() });
  keyA = await addApiKey(h.store, 'admin of A', 'admin', [COMPANY_CIF]);
});
afterEach(async () => {
  await h?.app.close();
});

function snapshot(): string {
  return JSON.stringify({
    companies: h.store.companies,
    invoices: h.store.invoices,
    events: h.store.events,
    keys: h.store.apiKeys,
    idempotency: [...h.store.idempotency.entries()],
    resumed: h.engine.resumed,
    woken: h.engine.woken,
    rejections: h.rejections.list(OTHER_CIF),
    secrets: [...h.vault.envelopes.entries()],
  });
}

function fill(path: string, value: (name: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
}

function payloadFor(op: Operation): { payload?: string; headers: Record<string, string> } {
  const types = Object.keys(op.requestBody?.content ?? {});
  if (types.length === 0) return { headers: {} };
  if (types.includes('application/json')) return { payload: '{}', headers: { 'content-type': 'application/json' } };
  return { payload: ublInvoice({ supplierCif: OTHER_CIF }), headers: { 'content-type': types.includes('application/xml') ? 'application/xml' : types[0]! } };
}

async function operations(): Promise<Array<[string, string, Operation]>> {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  return Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [method.toUpperCase(), path, op] as [string, string, Operation]),
  );
}

describe('tenant isolation over every route of the OpenAPI document', () => {
  it('a key scoped to company A reaches nothing of company B', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(18);
    const failures: string[] = [];
    const fail = (method: string, path: string, why: string) => failures.push(`${method} ${path}: ${why}`);

    for (const [method, path, op] of ops) {
      const access = op['x-efact-access'];
      if (access === undefined) {
        fail(method, path, 'has no x-efact-access: declare config.access on the route');
        continue;
      }
      const body = payloadFor(op);
      const send = (url: string, key: string | null = keyA) =>
        h.app.inject({ method: method as 'GET', url, headers: { ...body.headers, ...(key ? bearer(key) : {}) }, ...(body.payload !== undefined ? { payload: body.payload } : {}) });
      const before = snapshot();

      if (access.tenant === 'company') {
        const via = RESOURCE_OF_B[access.via ?? ''];
        if (via === undefined) {
          fail(method, path, `addresses its company by "${access.via}", which this test cannot build: add it to RESOURCE_OF_B`);
          continue;
        }
        const unknownParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((n) => RESOURCE_OF_B[n] === undefined && n !== 'id');
        const at = (value: string) => address(path, access.via!, value);
        if (unknownParams.length > 0) fail(method, path, `has path parameters ${unknownParams.join(', ')} this test cannot build`);
        const ofB = await send(at(via.b()));
        const missing = await send(at(via.missing()));
        if (ofB.statusCode !== 404) fail(method, path, `company B's resource answered ${ofB.statusCode}, not 404: ${ofB.body.slice(0, 200)}`);
        else {
          const e1 = ofB.json<ErrorBody>().error;
          const e2 = missing.json<ErrorBody>().error;
          if (missing.statusCode !== 404 || e1.code !== e2.code) fail(method, path, `B's resource (${e1.code}) is told apart from a missing one (${missing.statusCode} ${e2.code})`);
          if (e1.message.replace(via.b(), 'X') !== e2.message.replace(via.missing(), 'X')) fail(method, path, `messages differ: "${e1.message}" / "${e2.message}"`);
          if (ofB.body.includes('Beta Secret') || ofB.body.includes('BETA')) fail(method, path, 'the 404 reveals company B');
        }
        if (method === 'GET') {
          const ofA = await send(at(via.a()));
          if (ofA.statusCode !== 200) fail(method, path, `company A's own resource answered ${ofA.statusCode} (the key should reach it)`);
        }
      } else if (access.tenant === 'all') {
        const res = await send(fill(path, (name) => RESOURCE_OF_B[name]?.b() ?? String(bInvoice.id)));
        if (res.statusCode !== 403) fail(method, path, `needs a key for all companies, but answered ${res.statusCode}`);
      } else if (access.tenant === 'filtered' && path.endsWith('/events')) {
        // The live feed: engine states and invoice changes of A only (B's worker runs too).
        h.engine.current.push(
          { companyId: b.id, cif: OTHER_CIF, environment: 'test', sendingEnabled: true, phase: 'running', backoffUntil: null, quotaPausedUntil: null, lastPassAt: null, lastChangeAt: null, lastError: null },
          { companyId: h.company.id, cif: COMPANY_CIF, environment: 'test', sendingEnabled: true, phase: 'running', backoffUntil: null, quotaPausedUntil: null, lastPassAt: null, lastChangeAt: null, lastError: null },
        );
        const seen = await firstEvents(path, keyA);
        if (!seen.startsWith('200')) fail(method, path, `answered ${seen.split('\n')[0]}`);
        if (seen.includes(OTHER_CIF) || seen.includes(`"companyId":${b.id}`)) fail(method, path, 'streams company B');
        if (!seen.includes(COMPANY_CIF)) fail(method, path, "does not stream company A's state either (the test would prove nothing)");
        h.engine.current.length = 0;
      } else if (access.tenant === 'filtered' || access.tenant === 'self') {
        if (method !== 'GET') fail(method, path, `a ${access.tenant} route must be a GET (a change addresses one company)`);
        const res = await send(path);
        if (res.statusCode !== 200) fail(method, path, `answered ${res.statusCode}`);
        for (const secret of [OTHER_CIF, 'Beta Secret', 'BETA', 'BSERIES', `"companyId":${b.id}`]) {
          if (res.body.includes(secret)) fail(method, path, `shows ${secret} of company B`);
        }
        if (access.tenant === 'filtered' && !res.body.includes(COMPANY_CIF)) fail(method, path, "does not show company A's rows either (the test would prove nothing)");
        if ((op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'company')) {
          const named = await send(`${path}?company=${OTHER_CIF}`);
          const none = await send(`${path}?company=${MISSING_CIF}`);
          if (named.statusCode !== 404 || named.json<ErrorBody>().error.code !== none.json<ErrorBody>().error.code) {
            fail(method, path, `company=B answered ${named.statusCode}, not the 404 of a missing company`);
          }
        }
      } else if (access.tenant === 'public') {
        const res = await send(fill(path, (name) => RESOURCE_OF_B[name]?.b() ?? '1'), null);
        if (res.statusCode === 401 || res.statusCode === 403) fail(method, path, `public route answered ${res.statusCode} without a key`);
        if (res.statusCode >= 500) fail(method, path, `answered ${res.statusCode}`);
      } else {
        fail(method, path, `unknown tenant rule ${access.tenant}: teach this test what to expect`);
      }

      if (snapshot() !== before) fail(method, path, 'changed something');
    }
    expect(failures).toEqual([]);
  });

  it('an operator and a viewer scoped to A are held the same way on the routes they may use', async () => {
    for (const role of ['operator', 'viewer'] as const) {
      const key = await addApiKey(h.store, `${role} of A`, role, [COMPANY_CIF]);
      const before = snapshot();
      for (const url of [`/api/v1/invoices/${bInvoice.id}`, `/api/v1/invoices/${bInvoice.id}/xml`, `/api/v1/companies/${OTHER_CIF}`]) {
        expect((await h.app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode).toBe(404);
      }
      const list = await h.app.inject({ method: 'GET', url: '/api/v1/invoices', headers: bearer(key) });
      expect(list.json().items.map((i: Invoice) => i.id)).toEqual([aInvoice.id]);
      expect(snapshot()).toBe(before);
    }
  });
});
