/** `efact validate`: the table a person reads, --json, and exit codes 0 valid / 1 invalid / 2 unreadable. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, invoiceXml, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

const OLD_CIUS = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.0';

interface JsonReport {
  files: Array<{ file: string; valid: boolean | null; ms: number | null; error: string | null; findings: Array<{ ruleId: string; severity: string; line: number; location: string; message: string }> }>;
}

describe('efact validate', () => {
  it('exits 0 for valid files, 1 with a table of findings for an invalid one, 2 when a file cannot be read', async () => {
    const ws = workspace();
    ws.write('in/good.xml', invoiceXml('GOOD-1'));
    ws.write('in/sub/good2.XML', invoiceXml('GOOD-2'));
    const ok = await ws.cli(['validate', `${ws.root}/in`], { data: false });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^FILE\s+RULE\s+SEVERITY\s+LINE\s+MESSAGE/);
    expect(ok.stdout).toContain('2 file(s): 2 valid, 0 invalid, 0 unreadable');

    const bad = ws.write('bad.xml', invoiceXml('BAD-1', { customizationId: OLD_CIUS }));
    const invalid = await ws.cli(['validate', `${ws.root}/in`, bad], { data: false });
    expect(invalid.code).toBe(1);
    const row = invalid.stdout.split('\n').find((l) => l.includes('BR-RO-001'))!;
    expect(row).toMatch(/bad\.xml\s+BR-RO-001\s+fatal\s+\d+\s+\[BR-RO-001\]-Identificatorul specificatie/);
    expect(invalid.stdout).toContain('3 file(s): 2 valid, 1 invalid, 0 unreadable');

    ws.write('broken.xml', '<Invoice><unclosed></Invoice>');
    ws.write('dtd.xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><Invoice/>');
    const unreadable = await ws.cli(['validate', bad, `${ws.root}/broken.xml`, `${ws.root}/dtd.xml`, `${ws.root}/missing.xml`], { data: false });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stdout).toContain('4 file(s): 0 valid, 1 invalid, 3 unreadable');
    expect(unreadable.stdout).toMatch(/missing\.xml\s+-\s+unreadable\s+-\s+no such file/);
  }, 60_000);

  it('prints JSON with --json', async () => {
    const ws = workspace();
    const good = ws.write('good.xml', invoiceXml('GOOD-1'));
    const bad = ws.write('bad.xml', invoiceXml('BAD-1', { customizationId: OLD_CIUS }));
    const res = await ws.cli(['validate', '--json', good, bad], { data: false });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as JsonReport;
    expect(report.files.map((f) => [f.file, f.valid, f.error])).toEqual([
      [good, true, null],
      [bad, false, null],
    ]);
    expect(report.files[0]!.findings).toEqual([]);
    const finding = report.files[1]!.findings.find((f) => f.ruleId === 'BR-RO-001');
    expect(finding).toMatchObject({ severity: 'fatal', location: '/Invoice' });
    expect(finding!.line).toBeGreaterThan(0);
    expect(typeof report.files[1]!.ms).toBe('number');
  }, 60_000);
});
