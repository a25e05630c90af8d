/** `efact status` (text and --json, NOK invoices with ANAF's messages) and `efact promote` ("Reset eFact"). */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open.js';
import { CIF, OTHER_CIF, ensureCliBuilt, invoiceXml, parseStatus, today, useWorkspaces, type Workspace } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

const NOK_MESSAGE = 'E: validari globale eroare: [BR-RO-001]-Factura trebuie sa aiba un cod de identificare a specificatiei';

/** Submits `ids` through the CLI and checks they were queued. */
async function submitInvoices(ws: Workspace, ids: string[]): Promise<void> {
  for (const id of ids) ws.write(`export/${id}.xml`, invoiceXml(id));
  const r = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`${ids.length} queued`);
}

/**
 * Moves one queued invoice to NOK with ANAF's message, the way the engine would (claim for
 * upload, then uploading → nok), by opening the data folder's store directly.
 */
async function makeNok(ws: Workspace, invoiceId: string, message: string): Promise<number> {
  const store = await openStore({ path: ws.dbPath });
  try {
    const company = await store.getCompanyByCif(CIF);
    expect(company).not.toBeNull();
    const cause = { instance: 'test', cause: 'test:nok' };
    const claimed = await store.claimForUpload(company!.id, 'test', 100, new Date(Date.now() + 60_000), cause);
    const mine = claimed.find((c) => c.invoice.invoiceId === invoiceId);
    expect(mine, `${invoiceId} claimed`).toBeDefined();
    const [moved] = await store.transition([
      {
        invoiceId: mine!.invoice.id,
        from: 'uploading',
        to: 'nok',
        patch: { messages: [{ text: message, source: 'answer' }] },
        cause,
        attempt: { id: mine!.attempt.id, outcome: 'refused', uploadId: null, note: 'test' },
      },
    ]);
    expect(moved?.status).toBe('nok');
    // the others go back to the queue, as if the upload never left
    const rest = claimed.filter((c) => c !== mine);
    await store.transition(
      rest.map((c) => ({
        invoiceId: c.invoice.id,
        from: 'uploading' as const,
        to: 'queued' as const,
        cause,
        attempt: { id: c.attempt.id, outcome: 'not-sent' as const, uploadId: null, note: 'test' },
      })),
    );
    return mine!.invoice.id;
  } finally {
    await store.close();
  }
}

describe('efact status', () => {
  it('shows the configured company before anything was submitted', async () => {
    const ws = workspace({ config: true });
    const r = await ws.cli(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`TEST — Test SRL (CIF ${CIF}, test)`);
    expect(r.stdout).toContain('no invoices');
  });

  it('says there are no companies for an empty data folder without configuration', async () => {
    const ws = workspace();
    const r = await ws.cli(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no companies configured yet');
    const json = parseStatus(await ws.cli(['status', '--json']));
    expect(json).toEqual([]);
  });

  it('prints counts per status, and the NOK invoice with ANAF\'s message under a NOK heading', async () => {
    const ws = workspace({ config: true });
    await submitInvoices(ws, ['ST-1', 'ST-2', 'ST-3']);
    const nokId = await makeNok(ws, 'ST-2', NOK_MESSAGE);

    const text = await ws.cli(['status', '--company', CIF]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`TEST — Test SRL (CIF ${CIF}, test)`);
    expect(text.stdout).toMatch(/queued: 2\s+nok: 1/);
    const heading = lines.findIndex((l) => l.includes('NOK — fix in the ERP and export again:'));
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 1]).toMatch(new RegExp(`#${nokId} ST-2\\b.*\\btest$`));
    expect(lines[heading + 2]!.trim()).toBe(NOK_MESSAGE);

    const json = parseStatus(await ws.cli(['status', '--json', '--company', CIF]));
    expect(json).toHaveLength(1);
    const [report] = json;
    expect(report!.company).toEqual({ cif: CIF, shortName: 'TEST', name: 'Test SRL', environment: 'test', sendingEnabled: true });
    expect(report!.counts).toEqual({ queued: 2, nok: 1 });
    expect(report!.nok).toHaveLength(1);
    expect(report!.nok[0]).toMatchObject({ id: nokId, invoiceId: 'ST-2', environment: 'test', messages: [NOK_MESSAGE] });
    expect(report!.needsAttention).toEqual([]);
  });

  it('lists the invalid invoices with their first findings (rule id, line, message), bounded by --limit, in text and --json', async () => {
    const ws = workspace({ config: true });
    // A wrong specification identifier fails BR-RO-001 (and BR-CL-…) locally: intake keeps them as `invalid`.
    ws.write('export/IV-1.xml', invoiceXml('IV-1', { customizationId: 'urn:wrong' }));
    ws.write('export/IV-2.xml', invoiceXml('IV-2', { customizationId: 'urn:wrong' }));
    ws.write('export/IV-3.xml', invoiceXml('IV-3'));
    const submitted = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
    expect(submitted.stdout).toContain('1 queued');

    const json = parseStatus(await ws.cli(['status', '--json', '--company', CIF]));
    const [report] = json;
    expect(report!.counts).toEqual({ queued: 1, invalid: 2 });
    expect(report!.invalid.map((i) => i.invoiceId).sort()).toEqual(['IV-1', 'IV-2']);
    const one = report!.invalid[0]!;
    expect(one.issueDate).toBe(today());
    expect(one.findingCount).toBeGreaterThanOrEqual(one.findings.length);
    expect(one.findings.length).toBeGreaterThan(0);
    expect(one.findings.length).toBeLessThanOrEqual(3);
    const ro001 = one.findings.find((f) => f.ruleId === 'BR-RO-001');
    expect(ro001, JSON.stringify(one.findings)).toBeDefined();
    expect(ro001!.message).toContain('[BR-RO-001]');
    expect(ro001!.severity).toBe('fatal');

    const limited = parseStatus(await ws.cli(['status', '--json', '--company', CIF, '--limit', '1']));
    expect(limited[0]!.invalid).toHaveLength(1);

    const text = await ws.cli(['status', '--company', CIF, '--limit', '1']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const heading = lines.findIndex((l) => l.includes('Invalid — stopped by the local checks, not sent (2, the newest 1 listed)'));
    expect(heading, text.stdout).toBeGreaterThan(0);
    const shown = limited[0]!.invalid[0]!;
    expect(lines[heading + 1]).toMatch(new RegExp(`#${shown.id} ${shown.invoiceId}  issued ${today()}  ${shown.findingCount} findings?$`));
    expect(text.stdout).toMatch(/\n {7}BR-RO-001( \(line \d+\))?: \[BR-RO-001\]/);
  });

  it('accepts the CIF with RO, and refuses an unknown one', async () => {
    const ws = workspace({ config: true });
    const ok = await ws.cli(['status', '--company', `ro${CIF}`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`CIF ${CIF}`);

    const unknown = await ws.cli(['status', '--company', OTHER_CIF]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no company with CIF ${OTHER_CIF}`);
    expect(unknown.stdout).toBe('');

    const unknownJson = await ws.cli(['status', '--json', '--company', OTHER_CIF]);
    expect(unknownJson.code).toBe(2);
    expect(unknownJson.stdout).toBe('');
  });

  it('names a configuration file that does not exist', async () => {
    const ws = workspace();
    const r = await ws.cli(['status', '--config', `${ws.root}/missing.yml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.yml');
    expect(r.stderr).toContain('no such file');
  });
});

describe('efact promote', () => {
  it('moves the test invoices to production, and a second promote says the company is already there', async () => {
    const ws = workspace({ config: true });
    await submitInvoices(ws, ['PR-1', 'PR-2']);
    await makeNok(ws, 'PR-1', NOK_MESSAGE);

    const r = await ws.cli(['promote', '--company', CIF, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 invoices of TEST moved from test to production and queued');

    // the configuration file still says test: promotion is one-way, status shows prod
    const [report] = parseStatus(await ws.cli(['status', '--json', '--company', CIF]));
    expect(report!.company.environment).toBe('prod');
    expect(report!.counts).toEqual({ queued: 2 });
    expect(report!.nok).toEqual([]);
    const store = await openStore({ path: ws.dbPath });
    try {
      const company = await store.getCompanyByCif(CIF);
      const invoices = await store.listInvoices({ companyId: company!.id, limit: 10 });
      expect(invoices.map((i) => [i.invoiceId, i.environment, i.status, i.uploadId])).toEqual([
        ['PR-1', 'prod', 'queued', null],
        ['PR-2', 'prod', 'queued', null],
      ]);
    } finally {
      await store.close();
    }
    const text = await ws.cli(['status']);
    expect(text.stdout).toContain(`(CIF ${CIF}, prod)`);

    const again = await ws.cli(['promote', '--company', CIF, '--yes']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('TEST is already in production');
  });

  it('refuses without --yes when not running in a terminal, and changes nothing', async () => {
    const ws = workspace({ config: true });
    await submitInvoices(ws, ['PY-1']);
    const r = await ws.cli(['promote', '--company', CIF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('add --yes to confirm');
    const [report] = parseStatus(await ws.cli(['status', '--json']));
    expect(report!.company.environment).toBe('test');
  });

  it('refuses an unknown company', async () => {
    const ws = workspace({ config: true });
    const r = await ws.cli(['promote', '--company', OTHER_CIF, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no company with CIF ${OTHER_CIF}`);
  });
});
