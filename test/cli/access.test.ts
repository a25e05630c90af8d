/**
 * As a new user would: `efact company add`, `efact serve`, then keys made with `efact apikey
 * create` — an API call without a key is refused with 401, a viewer key's POST with 403.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, useLongRunning, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();
const start = useLongRunning();

const COMPANY = '18547290';

describe('companies and API keys from the command line', () => {
  it('adds a company, then guards the running API with keys', async () => {
    const ws = workspace({ config: true });
    const added = await ws.cli(['company', 'add', '--cif', `RO${COMPANY}`, '--short-name', 'ALI', '--name', 'Ali Trading SRL', '--partition-filter', "branch = 'Iasi'"]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`ALI — Ali Trading SRL (CIF ${COMPANY}, test)`);
    const wrong = await ws.cli(['company', 'add', '--cif', 'RO18547291', '--short-name', 'X', '--name', 'X SRL']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong check digit');

    const server = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0'], ws.root);
    const m = await server.waitForOutput(/REST API:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 30_000);
    const api = `${m[1]}/api/v1`;
    try {
      const companies = (await (await fetch(`${api}/companies`)).json()) as { items: Array<{ cif: string; managedBy: string }> };
      expect(companies.items.find((c) => c.cif === COMPANY)?.managedBy).toBe('store');

      const viewer = await ws.cli(['apikey', 'create', '--name', 'auditor', '--role', 'viewer']);
      expect(viewer.code, viewer.stderr).toBe(0);
      expect(viewer.stderr).toContain('This is the first key');
      const key = viewer.stdout.trim();

      const anonymous = await fetch(`${api}/invoices`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('EFACT_ERR_UNAUTHORIZED');

      const read = await fetch(`${api}/companies/${COMPANY}`, { headers: { authorization: `Bearer ${key}` } });
      expect(read.status).toBe(200);
      const post = await fetch(`${api}/companies/${COMPANY}/resume`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
      expect(post.status).toBe(403);
      expect(((await post.json()) as { error: { message: string } }).error.message).toContain('may only read');

      const list = await ws.cli(['apikey', 'list']);
      expect(list.stdout).toMatch(/#1 auditor {2}viewer {2}all companies/);
      expect(list.stdout).not.toContain(key);
    } finally {
      server.child.kill('SIGTERM');
      await server.waitForExit(15_000);
    }
  }, 150_000);
});
