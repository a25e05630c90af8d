/**
 * `efact serve` and `efact sandbox` as long-running processes: they print where they listen,
 * answer there, and stop cleanly on SIGTERM. Plus the zero-configuration demo, end to end.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CIF,
  ensureCliBuilt,
  invoiceXml,
  parseStatus,
  pollUntil,
  useLongRunning,
  useWorkspaces,
  type LongRunning,
  type StatusReport,
} from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();
const start = useLongRunning();

/** Generous bounds for a child to start and to stop (no assertion about speed). */
const START_MS = 30_000;
const STOP_MS = 15_000;

/** Waits for serve's banner and returns the REST API's base URL (http://127.0.0.1:PORT). */
async function apiBase(server: LongRunning): Promise<string> {
  const m = await server.waitForOutput(/REST API:\s+(http:\/\/127\.0\.0\.1:(\d+))\/api\/v1\/invoices/, START_MS);
  await server.waitForOutput(/Press Ctrl\+C to stop\./, START_MS);
  expect(Number(m[2])).toBeGreaterThan(0); // --port 0: the port the system chose, not 0
  return m[1]!;
}

async function stop(server: LongRunning): Promise<void> {
  server.child.kill('SIGTERM');
  const { code, signal } = await server.waitForExit(STOP_MS);
  expect(signal, server.stderr()).toBeNull();
  expect(code, server.stderr()).toBe(0);
}

describe('efact serve', () => {
  it('prints where the REST API listens, answers /health there, and stops on SIGTERM with exit code 0', async () => {
    const ws = workspace({ config: true });
    const server = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0'], ws.root);
    const base = await apiBase(server);
    expect(server.stdout()).toContain('Efact is running.');
    expect(server.stdout()).toContain(`Data:       ${ws.data}`);
    expect(server.stdout()).toMatch(/ANAF:\s+built-in sandbox at http:\/\/127\.0\.0\.1:\d+/);
    expect(server.stdout()).not.toContain('Demo:'); // demo: false

    const res = await fetch(`${base}/api/v1/health`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { status: string; version: string; engine: { companies: number } };
    expect(health.status).toBe('ok');
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(health.engine.companies).toBe(1);

    const companies = await fetch(`${base}/api/v1/companies`);
    expect(companies.status).toBe(200);
    expect(JSON.stringify(await companies.json())).toContain(CIF);

    await stop(server);
    expect(server.stdout()).toContain('stopping…');
    expect(existsSync(path.join(ws.data, 'logs', 'efact.log'))).toBe(true);
  });

  it('carries invoices queued with `efact submit` to downloaded, before and while it runs', async () => {
    // the built-in sandbox with no processing delay, and fast pacing (allowed only with the sandbox)
    const ws = workspace({
      config: `sandbox: {enabled: true, processingDelaySeconds: 0}
demo: false
engine: {pacingSeconds: 0.2, allowFastPacing: true, passIntervalSeconds: 1}
companies:
  - {cif: '${CIF}', shortName: 'TEST', name: 'Test SRL', environment: 'test'}
`,
    });
    ws.write('export/SRV-1.xml', invoiceXml('SRV-1'));
    ws.write('export/SRV-2.xml', invoiceXml('SRV-2'));
    const before = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('2 queued');

    const server = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0'], ws.root);
    const base = await apiBase(server);
    const counts = async (): Promise<StatusReport['counts']> => parseStatus(await ws.cli(['status', '--json', '--company', CIF]))[0]!.counts;
    await pollUntil('the two invoices submitted before the start to be downloaded', 60_000, 1000, async () =>
      (await counts()).downloaded === 2 ? true : undefined,
    );

    // while it runs: the store is shared, `submit` queues, and resume ends a possible idle back-off
    const file = ws.write('later/SRV-3.xml', invoiceXml('SRV-3'));
    const during = await ws.cli(['submit', '--company', CIF, file]);
    expect(during.code, during.stderr).toBe(0);
    expect(during.stdout).toContain('1 queued');
    const resume = await fetch(`${base}/api/v1/companies/${CIF}/resume`, { method: 'POST' });
    expect(resume.ok, `resume answered ${resume.status}`).toBe(true);
    await pollUntil('the invoice submitted while running to be downloaded', 60_000, 1000, async () =>
      (await counts()).downloaded === 3 ? true : undefined,
    );
    expect(await counts()).toEqual({ downloaded: 3 });
    // ANAF's answers are archived under archive/<cif>/
    expect(readdirSync(path.join(ws.data, 'archive', CIF)).length).toBeGreaterThan(0);

    await stop(server);
  });

  it(
    'runs the demo with no configuration: company 8000000000 gets downloaded invoices and a NOK with ANAF\'s messages',
    async () => {
      const ws = workspace();
      const server = start(['serve', '--data', ws.data, '--port', '0'], ws.root);
      const base = await apiBase(server);
      expect(server.stdout()).toContain(`Demo:       company CIF ${CIF}`);
      expect(server.stdout()).toContain(`try: efact status --company ${CIF} --data ${ws.data}`);
      expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);

      const report = await pollUntil('a downloaded and a NOK invoice with messages in the demo', 60_000, 1000, async () => {
        const reports = parseStatus(await ws.cli(['status', '--json']));
        const demo = reports.find((r) => r.company.cif === CIF);
        if (!demo) return undefined;
        const downloaded = demo.counts.downloaded ?? 0;
        const nokWithMessages = demo.nok.filter((n) => n.messages.length > 0);
        return downloaded >= 1 && nokWithMessages.length >= 1 ? demo : undefined;
      });
      expect(report.company).toMatchObject({ cif: CIF, environment: 'test' });
      const nok = report.nok.find((n) => n.messages.length > 0)!;
      expect(nok.messages.join('\n').length).toBeGreaterThan(0);

      // the same NOK in the text report, under its heading, with ANAF's message
      const text = await ws.cli(['status', '--company', CIF]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('NOK — fix in the ERP and export again:');

      await stop(server);
    },
    90_000,
  );

  it('refuses a port that is already in use with a message, and exits instead of hanging', async () => {
    const ws = workspace({ config: true });
    const first = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0'], ws.root);
    const base = await apiBase(first);
    const port = new URL(base).port;

    const other = workspace({ config: true });
    const second = start(['serve', '--config', other.config!, '--data', other.data, '--port', port], other.root);
    const { code } = await second.waitForExit(START_MS);
    expect(code).toBe(2);
    expect(second.stderr()).toContain(`port ${port} is already in use; choose another with --port N`);
    expect(second.stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace

    await stop(first);
  });

  it('refuses a --port that is not a port number', async () => {
    const ws = workspace({ config: true });
    const r = await ws.cli(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port: eighty is not a port number');
  });
});

describe('efact sandbox', () => {
  it('prints its URL, takes an upload there, and stops on SIGTERM with exit code 0', async () => {
    const ws = workspace();
    const sandbox = start(['sandbox', '--port', '0', '--delay', '0'], ws.root);
    const m = await sandbox.waitForOutput(/ANAF sandbox listening at (http:\/\/127\.0\.0\.1:(\d+))/, START_MS);
    await sandbox.waitForOutput(/Press Ctrl\+C to stop\./, START_MS);
    const url = m[1]!;
    expect(Number(m[2])).toBeGreaterThan(0);
    expect(sandbox.stdout()).toContain(`upload: POST ${url}/test/FCTEL/rest/upload?standard=UBL&cif=`);

    const res = await fetch(`${url}/test/FCTEL/rest/upload?standard=UBL&cif=${CIF}`, {
      method: 'POST',
      headers: { authorization: 'Bearer any-token', 'content-type': 'text/plain' },
      body: invoiceXml('SBX-1'),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/ExecutionStatus="0" index_incarcare="\d+"/);

    await stop(sandbox);
  });

  it('refuses a --port that is not a port number', async () => {
    const r = await workspace().cli(['sandbox', '--port', '99999'], { data: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port: 99999 is not a port number');
  });
});
