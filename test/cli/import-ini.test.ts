/** `efact import-ini`: the manuals' WMEFServer.ini becomes an Efact configuration file. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ensureCliBuilt, parseStatus, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

/** The example of the WMEFServer manual. */
const MANUAL_INI = [
  '[eFactura]',
  'ServerID=1',
  'Serie_Certif=111111',
  'MinuteTimeOut=5',
  'SecundeNext=2',
  'ZileBefore=60',
  'NumeSkema1=Ali3',
  'NumeFirma1=1.Alina3- SAF-T',
  'NumeSkema2=Flo',
  'NumeFirma2=Flo-AUTO',
  '',
].join('\r\n');

interface ImportedConfig {
  serverId: number;
  anaf: { certificateSerial: string };
  engine: { pacingSeconds: number; idleBackoffMinutes: number; windowDays: number };
  companies: Array<{ cif: string; shortName: string; name: string }>;
}

describe('efact import-ini', () => {
  it('prints the YAML on stdout, with warnings about the CIFs the INI does not have', async () => {
    const ws = workspace();
    const ini = ws.write('WMEFServer.ini', MANUAL_INI);
    const r = await ws.cli(['import-ini', ini], { data: false });
    expect(r.code, r.stderr).toBe(0);
    const config = parseYaml(r.stdout) as ImportedConfig;
    expect(config.serverId).toBe(1);
    expect(config.anaf.certificateSerial).toBe('111111');
    expect(config.engine).toEqual({ pacingSeconds: 2, idleBackoffMinutes: 5, windowDays: 60 });
    expect(config.companies.map((c) => [c.shortName, c.name, c.cif])).toEqual([
      ['Ali3', '1.Alina3- SAF-T', 'FILL-IN'],
      ['Flo', 'Flo-AUTO', 'FILL-IN'],
    ]);
    // the manuals' names beside the keys
    for (const key of ['ServerID', 'Serie_Certif', 'SecundeNext', 'MinuteTimeOut', 'ZileBefore', 'NumeSkema', 'NumeFirma']) {
      expect(r.stdout).toContain(`# ${key}`);
    }
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings.find((w) => w.includes('NumeSkema1 Ali3') && w.includes('no CIF') && w.includes('Ali3=<CIF>'))).toBeDefined();
    expect(warnings.find((w) => w.includes('NumeSkema2 Flo') && w.includes('no CIF') && w.includes('Flo=<CIF>'))).toBeDefined();
  });

  it('with --cifs and --out writes a file that works as --config', async () => {
    const ws = workspace();
    const ini = ws.write('WMEFServer.ini', MANUAL_INI);
    const out = `${ws.root}/efact-imported.yml`;
    const r = await ws.cli(['import-ini', ini, '--cifs', 'Ali3=8000000000,Flo=RO8609468', '--out', out], { data: false });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}\n`);
    expect(r.stderr).not.toMatch(/no CIF/);
    const config = parseYaml(readFileSync(out, 'utf8')) as ImportedConfig;
    expect(config.companies.map((c) => [c.shortName, c.cif])).toEqual([
      ['Ali3', '8000000000'],
      ['Flo', 'RO8609468'],
    ]);

    const status = await ws.cli(['status', '--config', out]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Ali3 — 1.Alina3- SAF-T (CIF 8000000000, test)');
    expect(status.stdout).toContain('Flo — Flo-AUTO (CIF 8609468, test)');
    const json = parseStatus(await ws.cli(['status', '--json', '--config', out, '--company', 'RO8609468']));
    expect(json.map((s) => s.company.shortName)).toEqual(['Flo']);
  });

  it('refuses MinuteTimeOut outside the manuals\' bounds 5..30', async () => {
    const ws = workspace();
    const ini = ws.write('WMEFServer.ini', MANUAL_INI.replace('MinuteTimeOut=5', 'MinuteTimeOut=45'));
    const out = `${ws.root}/never.yml`;
    const r = await ws.cli(['import-ini', ini], { data: false });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/MinuteTimeOut = 45 is outside 5\.\.30/);
    expect(r.stdout).toBe('');
    const withOut = await ws.cli(['import-ini', ini, '--cifs', 'Ali3=8000000000,Flo=8609468', '--out', out], { data: false });
    expect(withOut.code).not.toBe(0);
    expect(withOut.stderr).toContain('5..30');
    expect(() => readFileSync(out)).toThrow();
  });

  it('does not overwrite an existing --out without --force', async () => {
    const ws = workspace();
    const ini = ws.write('WMEFServer.ini', MANUAL_INI);
    const out = ws.write('efact.yml', '# mine, keep it\n');
    const args = ['import-ini', ini, '--cifs', 'Ali3=8000000000,Flo=8609468', '--out', out];
    const refused = await ws.cli(args, { data: false });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${out} exists; add --force to overwrite it`);
    expect(readFileSync(out, 'utf8')).toBe('# mine, keep it\n');

    const forced = await ws.cli([...args, '--force'], { data: false });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('shortName: Ali3');
  });

  it('refuses a malformed --cifs list, and a file that does not exist', async () => {
    const ws = workspace();
    const ini = ws.write('WMEFServer.ini', MANUAL_INI);
    const bad = await ws.cli(['import-ini', ini, '--cifs', 'Ali3'], { data: false });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cifs: "Ali3" is not SHORTNAME=CIF');

    const missing = await ws.cli(['import-ini', `${ws.root}/nope.ini`], { data: false });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${ws.root}/nope.ini: no such file`);
    expect(missing.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
