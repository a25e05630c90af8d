/**
 * The REST routes the dashboard uses, over real HTTP against a running instance: the grid,
 * Start / Stop, promote test → prod, the governor, the charts' counts, the live event stream and
 * the PDF through ANAF's transformare; then, with keys, what the dashboard's sign-in relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/server/api-keys.js';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';

let t: TestRuntime;
let base: string;
beforeAll(async () => {
  t = await startTestRuntime({ http: true });
  base = `${t.runtime.apiUrl}/api/v1`;
});
afterAll(async () => {
  await t.close();
});

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
const post = (path: string, body?: unknown): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

interface Grid {
  items: Array<{ id: number; status: string; origin: { branch: string | null } }>;
  next: string | null;
  total: { count: number; capped: boolean } | null;
}

describe('dashboard API', () => {
  it('streams invoice changes as server-sent events while an invoice travels, and pages the grid', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/events`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const inv = await t.submit(sampleInvoice('SSE1'));
    const deadline = Date.now() + 20_000;
    while (!text.includes('"toStatus":"downloaded"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    expect(text).toContain('event: hello');
    expect(text).toContain('event: engine');
    expect(text).toContain(`"invoiceId":${inv.id}`);
    expect(text).toContain('"toStatus":"downloaded"');

    for (let i = 0; i < 4; i++) await t.submit(sampleInvoice(`G${i}`));
    const first = await json<Grid>(await fetch(`${base}/invoice-grid?company=RO${CIF}&sort=status&dir=asc&limit=2`));
    expect(first.items).toHaveLength(2);
    expect(first.total).toEqual({ count: 5, capped: false });
    const second = await json<Grid>(await fetch(`${base}/invoice-grid?company=${CIF}&sort=status&dir=asc&limit=2&cursor=${first.next}`));
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
    const wrong = await fetch(`${base}/invoice-grid?company=${CIF}&sort=user&dir=asc&cursor=${first.next}`);
    expect(wrong.status).toBe(400);
    expect((await json<{ error: { message: string } }>(wrong)).error.message).toMatch(/cursor/);
    const filtered = await json<Grid>(await fetch(`${base}/invoice-grid?company=${CIF}&branch=Sediu%20Central&status=queued,downloaded,processing,uploading,ok`));
    expect(filtered.items.every((i) => i.origin.branch === 'Sediu Central')).toBe(true);
  });

  it('renders a PDF through transformare, and says why when ANAF cannot', async () => {
    const ok = await t.submit(sampleInvoice('PDF1'));
    const res = await fetch(`${base}/invoices/${ok.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    t.runtime.sandbox!.setFaults({ endpoints: { transformare: { errorRate: 1 } } });
    try {
      const bad = await fetch(`${base}/invoices/${ok.id}/pdf`);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect((await json<{ error: { message: string } }>(bad)).error.message).toMatch(/ANAF could not render invoice \d+ as PDF/);
    } finally {
      t.runtime.sandbox!.setFaults({});
    }
  });

  it('shows the governor, the charts and this instance', async () => {
    await t.runtime.ledger.flush();
    const gov = await json<{ callsThisMinute: number; perMinuteLimit: number }>(await fetch(`${base}/governor`));
    expect(gov.perMinuteLimit).toBe(1000);
    const perDay = await json<{ days: Array<{ count: number }> }>(await fetch(`${base}/stats/invoices-per-day?company=${CIF}`));
    expect(perDay.days.reduce((n, d) => n + d.count, 0)).toBeGreaterThan(0);
    const perMinute = await json<{ minutes: Array<{ count: number }>; perMinuteLimit: number }>(await fetch(`${base}/stats/calls-per-minute`));
    expect(perMinute.minutes.reduce((n, d) => n + d.count, 0)).toBeGreaterThan(0);
    const health = await json<{ instance: { serverId: number; seats: number } }>(await fetch(`${base}/health`));
    expect(health.instance).toMatchObject({ serverId: 1, seats: 1 });
    const page = await fetch(`${t.runtime.apiUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('stops and starts sending, and promotes test → prod only with the confirmation and only once', async () => {
    expect(await json<{ sendingEnabled: boolean }>(await post(`/companies/${CIF}/stop`))).toEqual({ cif: CIF, sendingEnabled: false });
    expect((await t.runtime.store.getCompanyByCif(CIF))!.sendingEnabled).toBe(false);
    await post(`/companies/${CIF}/start`);
    expect((await t.runtime.store.getCompanyByCif(CIF))!.sendingEnabled).toBe(true);

    expect((await post(`/companies/${CIF}/promote`, {})).status).toBe(400);
    // The confirmation is exactly {confirm: true} (what the dashboard's dialog sends); anything else is refused.
    expect((await post(`/companies/${CIF}/promote`, { confirm: 'promote-to-prod' })).status).toBe(400);
    expect((await post(`/companies/${CIF}/promote`, { confirm: false })).status).toBe(400);
    expect((await t.runtime.store.getCompanyByCif(CIF))!.environment).toBe('test');
    const promoted = await post(`/companies/${CIF}/promote`, { confirm: true });
    expect(promoted.status).toBe(200);
    const body = await json<{ moved: number; company: { environment: string } }>(promoted);
    expect(body.company.environment).toBe('prod');
    expect(body.moved).toBeGreaterThan(0);
    const again = await post(`/companies/${CIF}/promote`, { confirm: true });
    expect(again.status).toBe(409);
    const openapi = await json<{ paths: Record<string, unknown> }>(await fetch(`${base}/openapi.json`));
    for (const p of ['/api/v1/invoice-grid', '/api/v1/events', '/api/v1/governor', '/api/v1/companies/{cif}/promote', '/api/v1/invoices/{id}/pdf']) {
      expect(Object.keys(openapi.paths)).toContain(p);
    }
  });

  // Last: creating a key turns access control on for the rest of this instance.
  it('with keys: the event stream takes the key as a header, /me names it, /servers needs a key for all companies', async () => {
    const { key: viewer } = await createApiKey(t.runtime.store, { name: 'auditor', role: 'viewer' });
    const { key: scoped } = await createApiKey(t.runtime.store, { name: 'erp-one', role: 'operator', companies: [CIF] });
    const as = (key: string) => ({ authorization: `Bearer ${key}` });

    expect((await fetch(`${base}/me`)).status).toBe(401);
    expect(await json(await fetch(`${base}/me`, { headers: as(viewer) }))).toEqual({ name: 'auditor', role: 'viewer', companies: null, via: 'api-key' });

    // The dashboard reads the stream with fetch and the Authorization header (EventSource cannot send one).
    expect((await fetch(`${base}/events`)).status).toBe(401);
    const ctrl = new AbortController();
    const res = await fetch(`${base}/events`, { headers: as(viewer), signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: engine')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    expect(text).toContain('event: hello');

    // The status bar: no OAuth profile in the sandbox; the servers list only for a key reaching all companies.
    expect(await json(await fetch(`${base}/auth/status?company=${CIF}`, { headers: as(scoped) }))).toEqual({ profiles: [] });
    const servers = await json<{ items: Array<{ serverId: number; state: string; current: boolean }> }>(await fetch(`${base}/servers`, { headers: as(viewer) }));
    expect(servers.items.filter((s) => s.state === 'live').length).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/servers`, { headers: as(scoped) })).status).toBe(403);
    // A viewer key may not act.
    const stop = await fetch(`${base}/companies/${CIF}/stop`, { method: 'POST', headers: as(viewer) });
    expect(stop.status).toBe(403);
  });
});
