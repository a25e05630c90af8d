/**
 * The operator dashboard in a real browser (Debian's Chromium through playwright-core) against a
 * running instance with the demo: invoices reach `downloaded` live, a NOK is opened and read, a
 * corrected file is sent from the page and goes through, an idle back-off is resumed, the
 * company is promoted test → prod, and the page speaks Romanian; then, once API keys exist, the
 * page asks for one, shows who signed in, and a viewer key cannot act. Invoices waiting for a
 * person (needs-attention) are listed with their reason, and only an operator may resend one ANAF
 * never confirmed or record the upload id found in SPV. Screenshots are saved under
 * test-output/screenshots for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_CIF, DEMO_CIF } from '../src/demo/demo.js';
import { buildSampleInvoice } from '../src/sandbox/anaf/sample-invoice.js';
import { createApiKey } from '../src/server/api-keys.js';
import { upload } from '../src/sandbox/anaf/test-helpers.js';
import type { Invoice } from '../src/domain/invoice.js';
import { browserMissing, ensureWebBuilt, launchBrowser, SCREENSHOTS, type Browser } from './helpers/browser.js';
import { ManualClock } from '../src/adapters/clock/manual-clock.js';
import { CIF, startTestRuntime, type TestRuntime } from './helpers/runtime.js';

const missing = browserMissing();
if (missing) console.warn(`skipping the dashboard's browser tests: ${missing}`);

const today = (): string => new Date().toISOString().slice(0, 10);
const demoInvoice = (n: number): string =>
  buildSampleInvoice({ supplierCif: DEMO_CIF, buyerCif: DEMO_BUYER_CIF, id: `FACT${n}`, issueDate: today() });

let t: TestRuntime;
let browser: Browser;
let page: Page;

const shot = async (name: string): Promise<void> => {
  // The status bar sticks to the bottom of the window; in a full-page picture it goes last.
  await page.addStyleTag({ content: '.statusbar { position: static !important; }' });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
};
const count = async (status: string): Promise<number> => {
  const text = (await page.locator(`[data-status="${status}"] strong`).textContent({ timeout: 5000 }).catch(() => '0')) ?? '0';
  return Number(text.replace(/\D/g, '') || '0');
};
const waitForCount = async (status: string, atLeast: number, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while ((await count(status)) < atLeast) {
    if (Date.now() > deadline) throw new Error(`the page never showed ${atLeast} ${status} invoices (shows ${await count(status)})`);
    await page.waitForTimeout(250);
  }
};

type Stuck = 'never-arrived' | 'in-spv' | 'at-anaf';

/**
 * Demo invoices left at needs-attention the way the engine leaves them, made in the store:
 * 'never-arrived' — the upload got no answer and ANAF never had it; 'in-spv' — the same, but the
 * file did reach ANAF (the sandbox has it; `index` is the upload id a person would find in SPV);
 * 'at-anaf' — ANAF has it under a known upload id but its answer was never downloaded. Sending
 * is stopped meanwhile, so the engine cannot upload them first, and always started again.
 */
const stuck = async (wanted: Array<{ n: number; kind: Stuck }>): Promise<Array<{ invoice: Invoice; index: string | null }>> => {
  const { store, engine, intake, sandbox } = t.runtime;
  const company = (await store.getCompanyByCif(DEMO_CIF))!;
  const cause = { instance: 'test', cause: 'test-stuck' };
  await store.setSendingEnabled(company.id, false);
  engine.wake(company.id);
  try {
    // Once the worker says stopped, no pass is in flight: nothing else claims what is made next.
    await expect.poll(() => engine.states().find((s) => s.companyId === company.id)?.phase, { timeout: 30_000 }).toBe('stopped');
    const made = new Map<number, { n: number; kind: Stuck }>();
    for (const w of wanted) {
      const out = await intake.submit({
        companyCif: DEMO_CIF,
        xml: Buffer.from(demoInvoice(w.n)),
        origin: { channel: 'api', sourcePath: null, computer: 'test', user: 'tester', branch: 'Sediu Central' },
      });
      expect(out.invoice.status).toBe('queued');
      made.set(out.invoice.id, w);
    }
    const claimed = await store.claimForUpload(company.id, company.environment, 1000, new Date(), cause);
    const result: Array<{ invoice: Invoice; index: string | null }> = [];
    for (const { invoice, attempt } of claimed) {
      const w = made.get(invoice.id);
      if (w === undefined) {
        // Someone else's queued invoice (none expected): back to the queue, never sent.
        await store.transition([{ invoiceId: invoice.id, from: 'uploading', to: 'queued', cause, attempt: { id: attempt.id, outcome: 'not-sent', uploadId: null, note: null } }]);
        continue;
      }
      let index: string | null = null;
      if (w.kind !== 'never-arrived') {
        const sent = await upload(sandbox!, demoInvoice(w.n), { cif: DEMO_CIF }, { environment: company.environment });
        expect(sent.index).toMatch(/^\d+$/);
        index = sent.index;
      }
      const text =
        w.kind === 'at-anaf'
          ? `Uploaded as ${index}, and its answer was never downloaded; fetch it from SPV.`
          : `The upload of FACT${w.n} got no answer and no matching invoice appeared in ANAF's messages. Check SPV, then resend it or record its upload id.`;
      const [done] = await store.transition([
        {
          invoiceId: invoice.id,
          from: 'uploading',
          to: 'needs-attention',
          patch: { lastError: text, messages: [{ text, source: 'local' }], ...(w.kind === 'at-anaf' ? { uploadId: index, uploadedAt: attempt.startedAt } : {}) },
          cause,
          attempt: { id: attempt.id, outcome: 'uncertain', uploadId: w.kind === 'at-anaf' ? index : null, note: 'no answer' },
        },
      ]);
      result.push({ invoice: done!, index });
    }
    // In the order asked for.
    return wanted.map((w) => result.find((r) => made.get(r.invoice.id) === w)!);
  } finally {
    await store.setSendingEnabled(company.id, true);
    engine.wake(company.id);
  }
};

describe.skipIf(missing !== null)('operator dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureWebBuilt();
    t = await startTestRuntime({
      http: true,
      // Few wrong keys before 429, in a short window, so the sign-in wait can be seen and outlived.
      config: { demo: true, companies: [], http: { port: 0, signInLimit: { max: 3, windowSeconds: 5 } } },
      // A real back-off (10 min) that only starts after 3 s without any change, so the demo's
      // steps do not trigger it but a platform that stops answering does.
      engine: { idleBackoffMs: 10 * 60_000, idleQuietMs: 3000 },
      demoIntervalMs: 300,
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 200_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the demo invoices reaching downloaded, live, in test', async () => {
    await page.goto(t.runtime.apiUrl!);
    await expect.poll(() => page.getByTestId('environment').textContent(), { timeout: 15_000 }).toContain('TEST');
    expect(await page.getByLabel('Company').inputValue()).toBe(DEMO_CIF);
    // The demo: FACT1, 2, 4, 6, 8 and the corrected FACT3 go through; FACT5 stays NOK.
    await waitForCount('downloaded', 6);
    await expect.poll(() => page.locator('[data-nok]').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.locator('table.grid .badge.st-downloaded').count()).toBeGreaterThanOrEqual(6);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'live' }).count()).toBe(1);
    await shot('01-grid-downloaded');
  });

  it("opens the NOK and reads ANAF's message, with the timeline and a PDF", async () => {
    const nok = (await t.runtime.store.listInvoices({ status: 'nok', limit: 5 }))[0]!;
    expect(nok.messages.length).toBeGreaterThan(0);
    await page.locator(`[data-nok="${nok.id}"] button`).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('.messages').textContent()).toContain(nok.messages[0]!.text);
    expect(await dialog.locator('.timeline').first().textContent()).toContain('nok');
    await shot('02-nok-detail');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // A downloaded invoice as PDF, rendered by the sandbox's transformare.
    const ok = (await t.runtime.store.listInvoices({ status: 'downloaded', limit: 1 }))[0]!;
    await page.locator(`tr[data-invoice="${ok.id}"] button.link`).click();
    await page.getByRole('button', { name: 'View as PDF (ANAF)' }).click();
    await expect.poll(() => page.locator('iframe.pdf').count(), { timeout: 15_000 }).toBe(1);
    // ANAF down: the page says so instead of showing nothing.
    t.runtime.sandbox!.setFaults({ endpoints: { transformare: { errorRate: 1 } } });
    await page.getByRole('button', { name: 'View as PDF (ANAF)' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/No PDF: ANAF could not render/);
    t.runtime.sandbox!.setFaults({});
    await shot('03-pdf-failed-message');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('sends a corrected file from the page and sees it go through', async () => {
    await page.getByLabel('Send a corrected file (XML)').setInputFiles({ name: 'Fact5.XML', mimeType: 'application/xml', buffer: Buffer.from(demoInvoice(5)) });
    await expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toMatch(/Fact5\.XML: accepted as invoice \d+ \(superseded\)/);
    await waitForCount('downloaded', 7);
    await expect.poll(() => page.getByText('No NOK or invalid invoices.').count(), { timeout: 20_000 }).toBe(1);
    await shot('04-corrected-through');
  });

  it('shows an idle back-off with the minutes left and resumes it', async () => {
    // ANAF stops answering status questions: passes change nothing, and the engine rests.
    const down = { errorRate: 1 };
    t.runtime.sandbox!.setFaults({ endpoints: { stareMesaj: down, listaMesajeFactura: down, listaMesajePaginatieFactura: down } });
    const res = await fetch(`${t.runtime.apiUrl}/api/v1/companies/${DEMO_CIF}/invoices`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: demoInvoice(9),
    });
    const { id } = (await res.json()) as { id: number };
    const resume = page.getByRole('button', { name: 'Resume now' });
    try {
      await resume.waitFor({ timeout: 40_000 });
      expect(await page.locator('.backoff').textContent()).toMatch(/(9|10) min left/);
      await shot('05-backoff');
    } finally {
      // ANAF answers again (also when the test failed, so the tests after it are not stuck).
      t.runtime.sandbox!.setFaults({});
    }
    await resume.click();
    await expect.poll(() => page.getByRole('button', { name: 'Resume now' }).count(), { timeout: 15_000 }).toBe(0);
    await t.waitFor(Number(id), (i) => i.status === 'downloaded', 'downloaded');
    await waitForCount('downloaded', 8);
  });

  it('promotes test → prod behind a confirmation saying what it does', async () => {
    await page.getByRole('button', { name: 'Promote test → prod (Reset eFact)' }).click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toMatch(/PRODUCTION system again/);
    await shot('06-promote-confirm');
    await confirm.getByRole('button', { name: 'Yes, promote to production' }).click();
    await expect.poll(() => page.getByTestId('environment').textContent(), { timeout: 15_000 }).toContain('PRODUCTION');
    expect(await page.locator('.notice').textContent()).toMatch(/\d+ invoices moved to production and queued/);
    expect(await page.getByRole('button', { name: /Promote test/ }).count()).toBe(0);
    // Everything is sent again, to prod this time.
    await expect.poll(async () => (await t.runtime.store.listInvoices({ environment: 'prod', status: 'downloaded', limit: 100 })).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(8);
    await waitForCount('downloaded', 8);
    await shot('07-prod');
  });

  it('stops and starts sending from the page', async () => {
    await page.getByRole('button', { name: 'Stop sending' }).click();
    await expect.poll(() => page.getByTestId('phase').textContent(), { timeout: 15_000 }).toContain('stopped');
    expect((await t.runtime.store.getCompanyByCif(DEMO_CIF))!.sendingEnabled).toBe(false);
    await page.getByRole('button', { name: 'Start sending' }).click();
    await expect.poll(() => page.getByTestId('phase').textContent(), { timeout: 15_000 }).not.toContain('stopped');
  });

  it('lists the invoices waiting for a person with the reason; an operator resends, records an upload id, resends all', async () => {
    const { store } = t.runtime;
    const made = await stuck([
      { n: 11, kind: 'never-arrived' },
      { n: 12, kind: 'in-spv' },
      { n: 13, kind: 'at-anaf' },
      { n: 14, kind: 'never-arrived' },
    ]);
    const [lost, inSpv, atAnaf, other] = [made[0]!, made[1]!, made[2]!, made[3]!];
    const row = (i: { invoice: Invoice }) => page.locator(`[data-attention="${i.invoice.id}"]`);
    const resendIn = (i: { invoice: Invoice }) => row(i).getByRole('button', { name: 'Resend (checked in SPV: ANAF does not have it)' });
    const resendAll = page.getByRole('button', { name: /^Resend all unconfirmed/ });
    const events = async (id: number) => (await store.listEvents(id)).map((e) => `${e.fromStatus}>${e.toStatus}:${e.cause}`);

    // Each with its reason; the decisions only where ANAF never confirmed the upload.
    await expect.poll(() => page.locator('[data-attention]').count(), { timeout: 30_000 }).toBe(4);
    expect(await row(lost).getByTestId('reason').textContent()).toContain('The upload of FACT11 got no answer');
    expect(await resendIn(lost).count()).toBe(1);
    expect(await row(atAnaf).getByTestId('reason').textContent()).toContain(`Uploaded as ${atAnaf.index}`);
    expect(await row(atAnaf).getByTestId('at-anaf').textContent()).toBe(
      `ANAF has it under upload id ${atAnaf.index}: fetch its answer from SPV. It is not sent again (it would be filed twice).`,
    );
    expect(await row(atAnaf).getByRole('button').filter({ hasText: /Resend|Record/ }).count()).toBe(0);
    expect(await resendAll.textContent()).toBe('Resend all unconfirmed (3)');
    await shot('07a-needs-attention');

    // An upload id that is not one: the server's message, shown like the page's other errors.
    await row(inSpv).getByRole('button', { name: 'Record upload id…' }).click();
    const uploadIdField = row(inSpv).getByLabel('Upload id found in SPV');
    await uploadIdField.fill('50-12');
    await row(inSpv).getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('uploadId');
    expect((await t.invoice(inSpv.invoice.id)).status).toBe('needs-attention');

    // The upload id found in SPV: followed from there (processing), and ANAF's answer is fetched.
    await uploadIdField.fill(inSpv.index!);
    await row(inSpv).getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toContain(`Upload id ${inSpv.index} recorded for invoice`);
    await expect.poll(() => page.getByRole('alert').count(), { timeout: 15_000 }).toBe(0);
    await t.waitFor(inSpv.invoice.id, (i) => i.status === 'downloaded', 'downloaded', 60_000);
    expect((await t.invoice(inSpv.invoice.id)).uploadId).toBe(inSpv.index);
    expect(await events(inSpv.invoice.id)).toContain('needs-attention>processing:person-upload-id');

    // Resent: queued, uploaded again and answered.
    await resendIn(lost).click();
    await expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toMatch(/Invoice \S+ queued to be sent to ANAF again\./);
    await t.waitFor(lost.invoice.id, (i) => i.status === 'downloaded', 'downloaded', 60_000);
    expect(await events(lost.invoice.id)).toContain('needs-attention>queued:person-resend');
    await expect.poll(() => row(lost).count(), { timeout: 15_000 }).toBe(0);

    // All the unconfirmed ones at once, behind a confirmation saying what it does.
    await expect.poll(() => resendAll.textContent(), { timeout: 15_000 }).toBe('Resend all unconfirmed (1)');
    await resendAll.click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toMatch(/will be sent to ANAF \(PRODUCTION\) again\. Do this only after checking in SPV/);
    await shot('07b-resend-all-confirm');
    await confirm.getByRole('button', { name: 'Yes, send them again' }).click();
    await expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toBe('1 invoices queued to be sent to ANAF again.');
    await expect.poll(() => page.getByRole('alertdialog').count(), { timeout: 15_000 }).toBe(0);
    await t.waitFor(other.invoice.id, (i) => i.status === 'downloaded', 'downloaded', 60_000);

    // What ANAF has stays where it is, for a person to fetch from SPV; nothing left to resend.
    await expect.poll(() => page.locator('[data-attention]').count(), { timeout: 15_000 }).toBe(1);
    expect(await row(atAnaf).count()).toBe(1);
    expect(await resendAll.count()).toBe(0);
    expect((await t.invoice(atAnaf.invoice.id)).status).toBe('needs-attention');
    // Three invoices through ANAF one after the other: longer than one step on a loaded machine.
  }, 180_000);

  it('falls back to polling when the live stream is unavailable', async () => {
    const other = await browser.context.newPage();
    try {
      await other.route('**/api/v1/events', (route) => route.abort());
      await other.goto(t.runtime.apiUrl!);
      await expect.poll(() => other.getByRole('status').filter({ hasText: 'polling' }).count(), { timeout: 15_000 }).toBe(1);
      const res = await fetch(`${t.runtime.apiUrl}/api/v1/companies/${DEMO_CIF}/invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: demoInvoice(10),
      });
      const { id } = (await res.json()) as { id: number };
      await t.waitFor(Number(id), (i) => i.status === 'downloaded', 'downloaded');
      await expect.poll(() => other.locator(`tr[data-invoice="${id}"] .badge`).textContent(), { timeout: 15_000 }).toBe('downloaded');
    } finally {
      await other.close();
    }
  });

  it('speaks Romanian', async () => {
    await page.getByLabel('Language').selectOption('ro');
    await expect.poll(() => page.getByTestId('environment').textContent()).toContain('PRODUCȚIE');
    expect(await page.getByRole('heading', { name: 'Documente de trimis' }).count()).toBe(1);
    await shot('08-romanian');
    await page.getByLabel('Limba').selectOption('en');
  });

  it('asks for a key once keys exist, signs in and shows the role; a viewer key cannot act', async () => {
    const { key: viewer } = await createApiKey(t.runtime.store, { name: 'auditor', role: 'viewer' });
    const { key: operator } = await createApiKey(t.runtime.store, { name: 'ops', role: 'operator' });
    const { key: scoped } = await createApiKey(t.runtime.store, { name: 'erp-demo', role: 'viewer', companies: [DEMO_CIF] });
    const keyField = page.getByLabel('API key');
    const signIn = async (key: string): Promise<void> => {
      await keyField.fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };

    await page.reload();
    await keyField.waitFor({ timeout: 15_000 });
    expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    expect(await page.locator('table.grid').count()).toBe(0);
    await signIn('efk_not-a-key');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('This key is not known or was revoked.');
    await shot('09-sign-in');

    // A viewer: everything is shown, nothing that changes something can be pressed.
    await signIn(viewer);
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 15_000 }).toContain('Signed in as auditor');
    expect(await page.getByTestId('role').textContent()).toBe('viewer');
    await expect.poll(() => page.getByTestId('environment').textContent(), { timeout: 15_000 }).toContain('PRODUCTION');
    expect(await page.getByRole('button', { name: 'Stop sending' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Send a corrected file (XML)').isDisabled()).toBe(true);
    expect(await page.getByTestId('viewer-only').textContent()).toMatch(/viewer/);
    // The live feed works with the key in the header.
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'live' }).count(), { timeout: 15_000 }).toBe(1);
    // The status bar: the sandbox has no OAuth profile; this instance against the seats.
    await expect.poll(() => page.locator('.statusbar').textContent(), { timeout: 15_000 }).toContain('fixed token / sandbox');
    await expect.poll(() => page.getByTestId('servers').textContent(), { timeout: 15_000 }).toMatch(/1 live of 1 seat.*#1 .*live/);
    await waitForCount('downloaded', 8);
    // An invoice waiting for a person (made here: this test does not lean on the ones before):
    // the viewer sees why, but no decision is offered.
    const [waiting] = await stuck([{ n: 15, kind: 'never-arrived' }]);
    const waitingRow = page.locator(`[data-attention="${waiting!.invoice.id}"]`);
    await expect.poll(() => waitingRow.count(), { timeout: 30_000 }).toBe(1);
    expect(await waitingRow.getByTestId('reason').textContent()).toContain('The upload of FACT15 got no answer');
    expect(await waitingRow.textContent()).toContain('an operator decides, after checking SPV');
    expect(await page.locator('[data-attention] button').filter({ hasText: /Resend|Record/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Resend all unconfirmed/ }).count()).toBe(0);
    await shot('10-viewer');

    // A key limited to one company: the servers list is not for it, and the page still works.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await keyField.waitFor({ timeout: 10_000 });
    expect(await page.evaluate("sessionStorage.getItem('efact.apiKey')")).toBeNull();
    await signIn(scoped);
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 15_000 }).toContain('erp-demo');
    await expect.poll(() => page.getByTestId('servers').textContent(), { timeout: 15_000 }).toBe('not available to this key');
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot('11-scoped-key');

    // Wrong keys again and again: the server makes the address wait, and the page says how long.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const wait = page.getByTestId('signin-wait');
    for (let i = 0; i < 6 && (await wait.count()) === 0; i++) {
      await signIn(`efk_wrong-${i}`);
      await expect.poll(async () => (await page.getByRole('alert').count()) > 0, { timeout: 10_000 }).toBe(true);
    }
    expect(await wait.textContent()).toMatch(/Too many wrong keys from this computer: wait \d+ s/);
    await shot('12-sign-in-wait');
    await expect.poll(() => wait.count(), { timeout: 15_000 }).toBe(0);

    // An operator may act again.
    await signIn(operator);
    await expect.poll(() => page.getByTestId('role').textContent(), { timeout: 15_000 }).toBe('operator');
    await expect.poll(() => page.getByRole('button', { name: 'Stop sending' }).isDisabled(), { timeout: 15_000 }).toBe(false);
    expect(await page.getByLabel('Send a corrected file (XML)').isDisabled()).toBe(false);
    expect(await page.getByTestId('viewer-only').count()).toBe(0);
    await expect.poll(() => waitingRow.getByRole('button', { name: 'Resend (checked in SPV: ANAF does not have it)' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await waitingRow.getByRole('button', { name: 'Record upload id…' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Resend all unconfirmed \(\d+\)/ }).count()).toBe(1);
  });
});

describe.skipIf(missing !== null)('the ANAF token in the status bar', () => {
  let rt: TestRuntime;
  let b: Browser;
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  beforeAll(async () => {
    await ensureWebBuilt();
    rt = await startTestRuntime({
      http: true,
      clock,
      startEngine: false,
      config: { companies: [{ cif: CIF, shortName: 'TEST', name: 'Test Company SRL', environment: 'test', oauthProfile: 'main' }] },
      sandbox: { tokens: {}, oauth: { clients: { 'dash-client': { secret: 'dash-secret-0123456789' } } } },
    });
    b = await launchBrowser();
  }, 200_000);
  afterAll(async () => {
    await b?.close();
    await rt?.close();
  });

  it('shows a login needed, then valid until with the days left, then the warning colour near the expiry', async () => {
    const p = await b.context.newPage();
    const token = p.getByTestId('token');
    const shotOf = async (name: string): Promise<void> => {
      await p.addStyleTag({ content: '.statusbar { position: static !important; }' });
      await p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    };
    const { service } = rt.runtime.oauth;
    await service.saveProfile({ name: 'main', clientId: 'dash-client', clientSecret: 'dash-secret-0123456789', redirectUri: 'http://127.0.0.1:9/cb' });
    await p.goto(rt.runtime.apiUrl!);
    await expect.poll(() => token.textContent(), { timeout: 15_000 }).toContain('main: certificate sign-in needed');
    expect(await token.getAttribute('class')).toContain('bad');

    // A person logs in (the in-process sandbox's OAuth asks for no certificate).
    const start = await service.beginLogin('main', CIF);
    const back = new URL((await fetch(start.url, { redirect: 'manual' })).headers.get('location')!);
    await service.completeLogin(Object.fromEntries(back.searchParams));
    await p.reload();
    await expect.poll(() => token.textContent(), { timeout: 15_000 }).toMatch(/main: valid until .* \(\d+ days left\)/);
    expect(await token.getAttribute('class')).toContain('good');
    await shotOf('13-token-valid');

    // Near the access token's expiry (no refresher running here): the warning colour.
    const left = (await service.status('main')).accessDaysLeft!;
    clock.advance((left - 5) * 86_400_000);
    await p.reload();
    await expect.poll(() => token.getAttribute('class'), { timeout: 15_000 }).toContain('warn');
    expect(await token.textContent()).toMatch(/\((4|5) days left\)/);
    await shotOf('14-token-warning');
    await p.close();
  });
});
