/** `efact months` (WMEfact's "choose the month to send"), `submit --months`, and `efact status` grouped by month. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CIF, ensureCliBuilt, invoiceXml, OTHER_CIF, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

const CONFIG = `sandbox: {enabled: true}
demo: false
companies:
  - {cif: '${CIF}', shortName: 'TEST', name: 'Test SRL', environment: 'test', exportFolder: export, months: ['2026-11']}
`;

describe('efact months', () => {
  it('shows the configured months, keeps a chosen list, and resets to the configuration', async () => {
    const ws = workspace({ config: CONFIG });
    const shown = await ws.cli(['months', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual([{ cif: CIF, months: ['2026-11'], source: 'config' }]);

    const set = await ws.cli(['months', '--company', `RO${CIF}`, '--set', '2026-12,2026-10']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`${CIF}: 2026-10, 2026-12`);
    expect(JSON.parse((await ws.cli(['months', '--json'])).stdout)).toEqual([{ cif: CIF, months: ['2026-10', '2026-12'], source: 'person' }]);

    const all = await ws.cli(['months', '--company', CIF, '--all']);
    expect(all.stdout).toContain('all months');
    const reset = await ws.cli(['months', '--company', CIF, '--reset', '--json']);
    expect(JSON.parse(reset.stdout)).toEqual([{ cif: CIF, months: ['2026-11'], source: 'config' }]);

    const bad = await ws.cli(['months', '--company', CIF, '--set', '2026-13']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('2026-13');
  });

  it('covers a company added with efact company add too (every month by default, a chosen list kept)', async () => {
    const ws = workspace({ config: CONFIG });
    const added = await ws.cli(['company', 'add', '--cif', `RO${OTHER_CIF}`, '--short-name', 'LATE', '--name', 'Late SRL', '--export-folder', `${ws.root}/late`]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse((await ws.cli(['months', '--json'])).stdout)).toEqual([
      { cif: CIF, months: ['2026-11'], source: 'config' },
      { cif: OTHER_CIF, months: [], source: 'all' },
    ]);
    const set = await ws.cli(['months', '--company', OTHER_CIF, '--set', '2026-12']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse((await ws.cli(['months', '--company', OTHER_CIF, '--json'])).stdout)).toEqual([{ cif: OTHER_CIF, months: ['2026-12'], source: 'person' }]);
    const reset = await ws.cli(['months', '--company', OTHER_CIF, '--reset', '--json']);
    expect(JSON.parse(reset.stdout)).toEqual([{ cif: OTHER_CIF, months: [], source: 'all' }]);
  });

  it('submit --months takes only those month folders, and status groups by month', async () => {
    const ws = workspace({ config: true });
    ws.write('erp/Efact2026_10/Fact/Fact1.XML', invoiceXml('M-1'));
    ws.write('erp/Efact2026_11/Fact/Fact2.XML', invoiceXml('M-2'));
    ws.write('erp/Efact2026_11/Fact/Fact3.XML', invoiceXml('M-3'));
    const r = await ws.cli(['submit', '--company', CIF, '--months', '2026-11', `${ws.root}/erp`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 queued');
    const r2 = await ws.cli(['submit', '--company', CIF, '--months', '2026-10', `${ws.root}/erp`]);
    expect(r2.stdout).toContain('1 queued');

    const status = await ws.cli(['status', '--company', CIF]);
    expect(status.stdout).toContain('By month:');
    expect(status.stdout).toMatch(/2026-11\s+queued 2/);
    expect(status.stdout).toMatch(/2026-10\s+queued 1/);
    const json = JSON.parse((await ws.cli(['status', '--json', '--company', CIF])).stdout) as Array<{ months: unknown; writeBack: unknown }>;
    expect(json[0]!.months).toEqual([
      { month: '2026-11', counts: { queued: 2 } },
      { month: '2026-10', counts: { queued: 1 } },
    ]);
    expect(json[0]!.writeBack).toEqual({ errorCount: 0, errors: [] });
  });
});
