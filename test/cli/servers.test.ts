/**
 * Several `efact serve` processes on one store: the manuals' refusal of a second live server
 * with the same id, --takeover (the old one stops), seats, `efact servers` and `efact servers sync`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open.js';
import { ensureCliBuilt, TEST_CONFIG_YAML, useLongRunning, useWorkspaces, type LongRunning } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();
const start = useLongRunning();

const START_MS = 30_000;
const IN_USE = 'Eroare la înregistrare server! A fost lansat în execuție un alt server cu același ID = 2';
const CONFIG = `${TEST_CONFIG_YAML}seats: 3\nserverHeartbeatSeconds: 0.2\nserverLeaseSeconds: 5\n`;

async function running(server: LongRunning): Promise<void> {
  await server.waitForOutput(/Press Ctrl\+C to stop\./, START_MS);
}

interface ServersJson {
  seats: number;
  items: Array<{ serverId: number; state: string; pid: number; host: string; filter: string | null }>;
}

describe('efact serve with a server id', () => {
  it('refuses a second live instance with the same id with the manuals\' message; --takeover stops the first', async () => {
    const ws = workspace({ config: CONFIG });
    const first = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0', '--server-id', '2'], ws.root);
    await running(first);

    const second = await ws.cli(['serve', '--port', '0', '--server-id', '2']);
    expect(second.code).not.toBe(0);
    expect(second.stderr.split('\n')[0]).toBe(IN_USE);
    expect(second.stderr).toMatch(/--takeover/);
    expect(second.stderr).not.toMatch(/\n\s+at /); // no stack

    const listed = await ws.cli(['servers', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const before = JSON.parse(listed.stdout) as ServersJson;
    expect(before.items).toMatchObject([{ serverId: 2, state: 'live', pid: first.child.pid }]);

    const third = start(['serve', '--config', ws.config!, '--data', ws.data, '--port', '0', '--server-id', '2', '--takeover'], ws.root);
    await running(third);
    const { code } = await first.waitForExit(START_MS);
    expect(code).toBe(3);
    expect(first.stderr()).toMatch(/server 2 was taken over by another instance/);

    const text = await ws.cli(['servers']);
    expect(text.stdout).toMatch(new RegExp(`^2\\s+live\\s+\\S+\\s+${third.child.pid}\\s`, 'm'));
    third.child.kill('SIGTERM');
    expect((await third.waitForExit(START_MS)).code).toBe(0);
    const after = JSON.parse((await ws.cli(['servers', '--json'])).stdout) as ServersJson;
    expect(after.items).toMatchObject([{ serverId: 2, state: 'stopped' }]);
  });

  it('refuses an id above the seats, and a filter that does not parse, before starting', async () => {
    const ws = workspace({ config: CONFIG });
    const over = await ws.cli(['serve', '--port', '0', '--server-id', '4']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/serverId 4 is above the 3 seats configured/);
    const bad = await ws.cli(['serve', '--port', '0', '--filter', "branch = 'Iasi' and"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/serverFilter.*partition filter, column \d+/);
  });

  it('servers sync removes registrations above the seats and long expired ones, saying what it did', async () => {
    const ws = workspace({ config: CONFIG });
    expect((await ws.cli(['servers'])).stdout).toMatch(/no server has registered yet/);
    const store = await openStore({ path: ws.dbPath });
    try {
      await store.registerServer({ serverId: 5, seats: 5, host: 'gone-host', pid: 1234, filter: "branch = 'Cluj'", leaseMs: 60_000 });
    } finally {
      await store.close();
    }
    const listed = await ws.cli(['servers']);
    expect(listed.stdout).toMatch(/^5!\s+live\s+gone-host\s+1234\s+branch = 'Cluj'/m);
    expect(listed.stdout).toMatch(/efact servers sync/);
    const sync = await ws.cli(['servers', 'sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/removed server 5 \(host gone-host, pid 1234\): id above the 3 seats; that instance stops at its next heartbeat/);
    expect((await ws.cli(['servers', 'sync'])).stdout).toMatch(/nothing to re-align/);
  });
});
