/**
 * `efact auth` as a new user would run it against a sandbox: create the profile (secret from the
 * environment), `auth login` printing the authorize address and taking ANAF's redirect on its
 * one-shot listener, `auth status`, the token line of `efact status`, `keys rotate`, `auth revoke`.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnafSandbox, type AnafSandbox } from '../../src/sandbox/anaf/server.js';
import { CIF, OTHER_CIF, ensureCliBuilt, runCli, useLongRunning, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);

const SECRET = 'cli-client-secret-0123456789';
let sandbox: AnafSandbox;
beforeAll(async () => {
  sandbox = await startAnafSandbox({ oauth: { clients: { 'cli-client': { secret: SECRET } } } });
});
afterAll(() => sandbox.close());

const workspace = useWorkspaces();
const start = useLongRunning();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('efact auth', () => {
  it('profile, login with the one-shot callback listener, status, keys rotate and revoke', async () => {
    const ws = workspace({
      config: `sandbox: {enabled: true, url: '${sandbox.url}'}
demo: false
companies:
  - {cif: '${CIF}', shortName: 'TEST', name: 'Test SRL', environment: 'test', oauthProfile: main}
`,
    });
    const common = ['--data', ws.data, '--config', ws.config!];
    const redirect = `http://127.0.0.1:${await freePort()}/cb`;

    const noSecret = await runCli(['auth', 'profile', 'main', '--client-id', 'cli-client', '--redirect-uri', redirect, ...common], { cwd: ws.root });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/no client secret given/);
    const profile = await runCli(['auth', 'profile', 'main', '--client-id', 'cli-client', '--redirect-uri', redirect, ...common], {
      cwd: ws.root,
      env: { EFACT_OAUTH_CLIENT_SECRET: SECRET },
    });
    expect(profile.code, profile.stderr).toBe(0);
    expect(profile.stdout).toMatch(/OAuth profile main saved \(client secret stored encrypted\)/);
    expect(profile.stdout + profile.stderr).not.toContain(SECRET);

    const login = start(['auth', 'login', '--company', `RO${CIF}`, ...common], ws.root);
    const url = (await login.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+\/anaf-oauth2\/v1\/authorize\?\S+)/, 30_000))[1]!;
    await login.waitForOutput(/Waiting for ANAF's answer at/, 30_000);
    expect(new URL(url).searchParams.get('token_content_type')).toBe('jwt');
    // The person's browser: ANAF redirects it to the redirect URI, where `auth login` listens.
    const redirected = await fetch(url, { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    const page = await fetch(redirected.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(await login.waitForExit(30_000)).toMatchObject({ code: 0 });
    expect(login.stdout()).toMatch(/access token valid until \d{4}-\d{2}-\d{2} \(89 days left\)|\(90 days left\)/);

    const status = await ws.cli(['auth', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/main \(client cl…nt|main \(client ••••/);
    expect(status.stdout).toMatch(/companies 8000000000/);
    expect(status.stdout).not.toContain(SECRET);

    const overall = await ws.cli(['status', '--company', CIF]);
    expect(overall.stdout).toMatch(/ANAF token \(main\): valid until \d{4}-\d{2}-\d{2} \(\d+ days left\)/);

    const rotate = await ws.cli(['keys', 'rotate']);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toMatch(/master key rotated: [0-9a-f]{16} → [0-9a-f]{16}; 1 secrets and 1 token pairs re-encrypted/);
    const refresh = await ws.cli(['auth', 'refresh', '--company', CIF, '--force']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(/last refreshed/);

    const revoke = await ws.cli(['auth', 'revoke', '--company', CIF]);
    expect(revoke.stdout).toMatch(/tokens of main revoked at ANAF and removed/);
    const after = await ws.cli(['auth', 'status']);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/LOGIN-NEEDED: no tokens \(revoked\)/);
  });

  it('a company added with efact company add --oauth-profile logs in by its CIF; add prints the partner key once', async () => {
    // No company in the file: the company lives in the store only.
    const ws = workspace({ config: `sandbox: {enabled: true, url: '${sandbox.url}'}\ndemo: false\n` });
    const common = ['--data', ws.data, '--config', ws.config!];
    const added = await ws.cli(['company', 'add', '--cif', `RO${OTHER_CIF}`, '--short-name', 'STORE', '--name', 'Store Only SRL', '--oauth-profile', 'store-profile']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/OAuth profile: store-profile/);
    const key = /partner key \(shown only now; store it safely\): ([A-Za-z0-9]{32})/.exec(added.stdout)?.[1];
    expect(key).toBeDefined();
    const list = await ws.cli(['company', 'list']);
    expect(list.stdout).not.toContain(key!);

    const redirect = `http://127.0.0.1:${await freePort()}/cb`;
    const profile = await runCli(['auth', 'profile', 'store-profile', '--client-id', 'cli-client', '--redirect-uri', redirect, ...common], {
      cwd: ws.root,
      env: { EFACT_OAUTH_CLIENT_SECRET: SECRET },
    });
    expect(profile.code, profile.stderr).toBe(0);
    const login = start(['auth', 'login', '--company', OTHER_CIF, ...common], ws.root);
    const url = (await login.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+\/anaf-oauth2\/v1\/authorize\?\S+)/, 30_000))[1]!;
    await login.waitForOutput(/Waiting for ANAF's answer at/, 30_000);
    const redirected = await fetch(url, { redirect: 'manual' });
    expect((await fetch(redirected.headers.get('location')!)).status).toBe(200);
    expect(await login.waitForExit(30_000)).toMatchObject({ code: 0 });
    expect(login.stdout()).toMatch(new RegExp(`store-profile .*— companies ${OTHER_CIF}`));

    const status = await ws.cli(['auth', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`companies ${OTHER_CIF}`));
    const overall = await ws.cli(['status', '--company', OTHER_CIF]);
    expect(overall.stdout).toMatch(/ANAF token \(store-profile\): valid until \d{4}-\d{2}-\d{2}/);
  });

  it('explains access_denied when ANAF refuses the request', async () => {
    const ws = workspace({ config: `sandbox: {enabled: true, url: '${sandbox.url}'}\ndemo: false\noauth: {profile: main}\n` });
    const common = ['--data', ws.data, '--config', ws.config!];
    const redirect = `http://127.0.0.1:${await freePort()}/cb`;
    // Registered at ANAF under another client id than the one typed here: a malformed request.
    await runCli(['auth', 'profile', 'main', '--client-id', 'typo-client', '--redirect-uri', redirect, ...common], { cwd: ws.root, env: { EFACT_OAUTH_CLIENT_SECRET: SECRET } });
    const login = start(['auth', 'login', '--profile', 'main', ...common], ws.root);
    const url = (await login.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+\/anaf-oauth2\/v1\/authorize\?\S+)/, 30_000))[1]!;
    await login.waitForOutput(/Waiting for ANAF's answer at/, 30_000);
    const back = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    expect((await fetch(back)).status).toBe(403);
    expect(await login.waitForExit(30_000)).toMatchObject({ code: 2 });
    expect(login.stderr()).toMatch(/access_denied.*certificate was not presented.*client_id or the redirect_uri does not match/s);
  });
});
