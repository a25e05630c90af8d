/**
 * A whole serve-like run with ANAF OAuth — login with the client certificate through the API's
 * callback, invoices carried through with the profile's token, a forced refresh, a certificate
 * password and a partner key in the vault, status through the API, revoke — with the pino file
 * logger at trace level. Afterwards no log file (nor the database file) holds any secret value.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { startRuntime, type Runtime } from '../src/server/runtime.js';
import { createFileLogger, engineLogger } from '../src/server/logger.js';
import { startAnafSandbox, type AnafSandbox } from '../src/sandbox/anaf/server.js';
import { buildSampleInvoice } from '../src/sandbox/anaf/sample-invoice.js';
import { openAuthorizeUrl } from '../src/adapters/anaf/oauth/testing/browser.js';
import { accessTokenName, certificatePasswordName, refreshTokenName } from '../src/secrets/names.js';
import { encryptForPartnerKey, issuePartnerKey } from '../src/secrets/partner-key.js';
import { KEY_FILE } from '../src/secrets/keyring.js';

const CIF = '8000000000';
const CLIENT_ID = 'efact-e2e-client';
const CLIENT_SECRET = 'cs-e2e-9f8e7d6c5b4a39281706';
const CERT_PASSWORD = 'parola-certificat-e2e-123';
const PARTNER_CERT_PASSWORD = 'parola-partener-e2e-456';

let dataDir: string;
let sandbox: AnafSandbox;
let runtime: Runtime;
let logger: ReturnType<typeof createFileLogger>;
const secrets = new Set<string>([CLIENT_SECRET, CERT_PASSWORD]);

async function rememberTokens(): Promise<void> {
  const row = await runtime.store.db.selectFrom('oauth_profiles').selectAll().where('name', '=', 'main').executeTakeFirst();
  if (row?.access_token) secrets.add(runtime.oauth.vault.open(accessTokenName('main'), row.access_token));
  if (row?.refresh_token) secrets.add(runtime.oauth.vault.open(refreshTokenName('main'), row.refresh_token));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'efact-secrets-'));
  sandbox = await startAnafSandbox({ tokens: {}, processingDelayMs: 0, oauth: { tls: true, clients: { [CLIENT_ID]: { secret: CLIENT_SECRET } } } });
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      http: { port: 0 },
      demo: false,
      logLevel: 'trace',
      sandbox: { enabled: true, processingDelaySeconds: 0 },
      store: { synchronous: 'NORMAL' },
      engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0 },
      companies: [{ cif: CIF, shortName: 'TEST', name: 'Test SRL', environment: 'test', oauthProfile: 'main' }],
    },
  });
  logger = createFileLogger(dataDir, 'trace');
  runtime = await startRuntime({
    config,
    log: engineLogger(logger),
    sandbox,
    engineOverrides: { pollIntervalMs: 20, retryBaseMs: 50, idleBackoffMs: 200, idleQuietMs: 0 },
  });
});

afterAll(async () => {
  await runtime?.stop();
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('secrets never reach the logs', () => {
  it('runs login, invoices, refresh, status and revoke, then finds no secret in any log file', async () => {
    const api = runtime.apiUrl!;
    const service = runtime.oauth.service;
    await service.saveProfile({ name: 'main', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${api}/api/v1/oauth/callback` });
    await runtime.oauth.vault.put(certificatePasswordName(CIF), CERT_PASSWORD);
    secrets.add(await issuePartnerKey(runtime.oauth.vault, CIF));
    secrets.add(readFileSync(path.join(dataDir, KEY_FILE), 'utf8').trim());

    // Login: the browser presents the certificate, ANAF redirects to the server's callback.
    const start = await service.beginLogin('main', CIF);
    const tls = sandbox.oauth.tls!;
    const back = await openAuthorizeUrl(start.url, { ca: tls.ca, cert: tls.clientCertificate });
    secrets.add(back.searchParams.get('code')!);
    const callback = await fetch(back);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('ANAF authorisation saved');
    await rememberTokens();

    // Invoices go through with the profile's token (the sandbox accepts only tokens it issued).
    const accepted = await runtime.intake.submit({
      companyCif: CIF,
      xml: Buffer.from(buildSampleInvoice({ supplierCif: CIF, buyerCif: '8609468', id: 'SEC-1', issueDate: '2026-11-20' })),
      origin: { channel: 'api', sourcePath: null, computer: 'test', user: 'tester', branch: null },
    });
    runtime.engine.wake();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const inv = await runtime.store.getInvoice(accepted.invoice.id);
      if (inv?.status === 'downloaded') break;
      if (Date.now() > deadline) throw new Error(`invoice stuck in ${inv?.status}: ${inv?.lastError}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    await service.ensureFresh('main', { force: true });
    await rememberTokens();
    await runtime.oauth.refreshDue();

    const status = await fetch(`${api}/api/v1/auth/status?company=${CIF}`);
    expect(status.status).toBe(200);
    const statusText = await status.text();
    expect(JSON.parse(statusText).profiles[0]).toMatchObject({ name: 'main', state: 'ok', hasTokens: true, companies: [CIF] });
    for (const s of secrets) expect(statusText).not.toContain(s);

    // A partner registers a company through the API (its key comes back once) and sends the
    // certificate password encrypted with it; then reads what is set (masked).
    const registered = await fetch(`${api}/api/v1/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cif: '8609468', shortName: 'PARTNER', name: 'Partner SRL' }),
    });
    expect(registered.status).toBe(201);
    const partnerKey = ((await registered.json()) as { partnerKey: string }).partnerKey;
    secrets.add(partnerKey);
    secrets.add(PARTNER_CERT_PASSWORD);
    const put = await fetch(`${api}/api/v1/companies/8609468/certificate-password`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: encryptForPartnerKey(partnerKey, PARTNER_CERT_PASSWORD), encryption: 'aes-256-gcm' }),
    });
    expect(put.status).toBe(200);
    const shown = await (await fetch(`${api}/api/v1/companies/8609468/secrets`)).text();
    expect(JSON.parse(shown)).toMatchObject({ certificatePassword: '••••' });
    for (const s of secrets) expect(shown).not.toContain(s);

    // A careless log line with known secret fields is censored by the redaction config.
    logger.info({ clientSecret: CLIENT_SECRET, token: [...secrets][2], nested: { refresh_token: [...secrets][3], password: CERT_PASSWORD } }, 'redaction check');
    // A failed login's message, as logged by a careless caller, names causes, not secrets.
    const denied = await service.beginLogin('main', CIF);
    const deniedBack = await openAuthorizeUrl(denied.url, { ca: tls.ca, cert: null });
    const deniedPage = await fetch(deniedBack);
    expect(deniedPage.status).toBe(403);
    expect(await deniedPage.text()).toMatch(/certificate was not presented/);

    expect((await service.revoke('main')).revokedAtAnaf).toBe(true);
    await runtime.stop();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));

    const logFiles = filesUnder(path.join(dataDir, 'logs'));
    expect(logFiles.length).toBeGreaterThan(0);
    const logText = logFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(logText).toContain('redaction check');
    expect(logText).toContain('[secret]');
    expect(logText.split('\n').length).toBeGreaterThan(5);
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    for (const s of secrets) expect(logText.includes(s), `a secret of ${s.length} characters is in the logs`).toBe(false);

    // The database holds envelopes only.
    for (const f of filesUnder(dataDir).filter((f) => /efact\.db/.test(f))) {
      const bytes = readFileSync(f).toString('latin1');
      for (const s of secrets) expect(bytes.includes(s), `a secret is in clear in ${path.basename(f)}`).toBe(false);
    }
  });
});
