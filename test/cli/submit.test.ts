/** `efact submit`: folders searched for invoice files, duplicates recognised, every rejected file named with its reason. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CIF, OTHER_CIF, BUYER_CIF, ensureCliBuilt, invoiceXml, parseStatus, useWorkspaces } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

/** The line submit prints on stdout: "3 queued, 0 replacing a NOK, 0 already known, 0 rejected". */
function tally(stdout: string): { queued: number; replacing: number; known: number; rejected: number } {
  const m = stdout.match(/(\d+) queued, (\d+) replacing a NOK, (\d+) already known, (\d+) rejected/);
  if (!m) throw new Error(`no tally line in: ${stdout}`);
  return { queued: Number(m[1]), replacing: Number(m[2]), known: Number(m[3]), rejected: Number(m[4]) };
}

describe('efact submit', () => {
  it('queues every .xml and .XML file of a folder and its sub-folders, then recognises them as already known', async () => {
    const ws = workspace({ config: true });
    ws.write('export/FCT-1.xml', invoiceXml('FCT-1'));
    ws.write('export/FCT-2.XML', invoiceXml('FCT-2'));
    ws.write('export/branch1/userA/FCT-3.xml', invoiceXml('FCT-3'));
    ws.write('export/branch2/FCT-4.Xml', invoiceXml('FCT-4'));
    ws.write('export/readme.txt', 'not an invoice, and not an .xml file: ignored');
    ws.write('export/FCT-5.xml.bak', invoiceXml('FCT-5'));

    const first = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('4 queued');
    expect(tally(first.stdout)).toEqual({ queued: 4, replacing: 0, known: 0, rejected: 0 });

    const again = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('4 already known');
    expect(tally(again.stdout)).toEqual({ queued: 0, replacing: 0, known: 4, rejected: 0 });

    const status = parseStatus(await ws.cli(['status', '--json', '--company', CIF]));
    expect(status).toHaveLength(1);
    expect(status[0]!.counts).toEqual({ queued: 4 });
  });

  it('accepts single files and the CIF written with RO', async () => {
    const ws = workspace({ config: true });
    const a = ws.write('a.xml', invoiceXml('ONE-1'));
    const b = ws.write('b.xml', invoiceXml('ONE-2'));
    const r = await ws.cli(['submit', '--company', `RO${CIF}`, a, b]);
    expect(r.code).toBe(0);
    expect(tally(r.stdout)).toEqual({ queued: 2, replacing: 0, known: 0, rejected: 0 });
  });

  it('rejects malformed, DTD, non-invoice and wrong-supplier files by name with their reason, and still queues the valid ones', async () => {
    const ws = workspace({ config: true });
    ws.write('mix/good-1.xml', invoiceXml('MIX-1'));
    ws.write('mix/sub/good-2.XML', invoiceXml('MIX-2'));
    ws.write('mix/broken.xml', '<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>');
    ws.write(
      'mix/entities.xml',
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n' +
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>\n',
    );
    ws.write('mix/note.xml', '<?xml version="1.0"?>\n<note><to>Tove</to><body>not an invoice</body></note>\n');
    ws.write('mix/other-supplier.xml', invoiceXml('MIX-9', { supplierCif: BUYER_CIF }));

    const r = await ws.cli(['submit', '--company', CIF, `${ws.root}/mix`]);
    expect(r.code).toBe(1);
    expect(tally(r.stdout)).toEqual({ queued: 2, replacing: 0, known: 0, rejected: 4 });

    const rejected = r.stderr.split('\n').filter((l) => l.startsWith('rejected '));
    expect(rejected).toHaveLength(4);
    const lineFor = (name: string): string => {
      const line = rejected.find((l) => l.includes(name));
      if (!line) throw new Error(`${name} is not named on stderr:\n${r.stderr}`);
      return line;
    };
    expect(lineFor('broken.xml')).toMatch(/EFACT_ERR_INVALID_XML: malformed XML/);
    expect(lineFor('entities.xml')).toMatch(/EFACT_ERR_XML_DTD_FORBIDDEN: DOCTYPE declarations are not accepted/);
    expect(lineFor('note.xml')).toMatch(/EFACT_ERR_NOT_AN_INVOICE: .*not a UBL Invoice/);
    expect(lineFor('other-supplier.xml')).toMatch(new RegExp(`EFACT_ERR_WRONG_SUPPLIER: .*supplier CIF ${BUYER_CIF}, not company ${CIF}`));
    for (const good of ['good-1.xml', 'good-2.XML']) expect(r.stderr).not.toContain(good);

    // the valid ones are stored and queued, the rejected ones are not stored at all
    const status = parseStatus(await ws.cli(['status', '--json']));
    expect(status[0]!.counts).toEqual({ queued: 2 });
  });

  it('refuses an unknown company with exit code 2 and stores nothing', async () => {
    const ws = workspace({ config: true });
    const file = ws.write('a.xml', invoiceXml('UNK-1', { supplierCif: OTHER_CIF }));
    const r = await ws.cli(['submit', '--company', OTHER_CIF, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no company with CIF ${OTHER_CIF} is configured`);
    expect(r.stdout).toBe('');
    const status = parseStatus(await ws.cli(['status', '--json']));
    expect(status.map((s) => s.company.cif)).toEqual([CIF]);
    expect(status[0]!.counts).toEqual({});
  });

  it('refuses a company when no configuration names any (fresh data folder, no config)', async () => {
    const ws = workspace();
    const file = ws.write('a.xml', invoiceXml('UNK-2'));
    const r = await ws.cli(['submit', '--company', CIF, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no company with CIF ${CIF} is configured`);
  });

  it('names a path that does not exist', async () => {
    const ws = workspace({ config: true });
    const missing = `${ws.root}/no-such-folder`;
    const r = await ws.cli(['submit', '--company', CIF, missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${missing}: no such file or folder`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('says so when a folder holds no .xml files', async () => {
    const ws = workspace({ config: true });
    ws.write('empty/readme.txt', 'nothing here');
    const r = await ws.cli(['submit', '--company', CIF, `${ws.root}/empty`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no .xml files found');
  });

  it('requires --company', async () => {
    const ws = workspace({ config: true });
    const file = ws.write('a.xml', invoiceXml('REQ-1'));
    const r = await ws.cli(['submit', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/required option '--company <cif>' not specified/);
  });
});
