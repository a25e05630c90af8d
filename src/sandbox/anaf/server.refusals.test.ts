import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInvoiceMetadata } from '../../xml/invoice-metadata.js';
import { buildSampleInvoice } from './sample-invoice.js';
import {
  BUYER_CIF,
  call,
  referencePath,
  rest,
  stareMesaj,
  startTestSandbox,
  SUPPLIER_CIF,
  upload,
  type TestSandbox,
} from './test-helpers.js';

let t: TestSandbox;
const OTHER_CIF = '8000000000';
beforeAll(async () => {
  t = await startTestSandbox({
    tokens: { 'sandbox-test-token': [SUPPLIER_CIF, BUYER_CIF], empty: [], other: [OTHER_CIF] },
  });
});
afterAll(async () => {
  await t.sandbox.close();
});

const invoice = (id: string): string =>
  buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id, issueDate: '2026-03-09' });

describe('upload refusals', () => {
  it('wants a bearer token', async () => {
    const res = await call(t.sandbox, rest('test', 'upload', { standard: 'UBL', cif: SUPPLIER_CIF }), { body: invoice('A'), token: null });
    expect(res.status).toBe(401);
    const unknown = await call(t.sandbox, rest('test', 'upload', { standard: 'UBL', cif: SUPPLIER_CIF }), { body: invoice('A'), token: 'nope' });
    expect(unknown.status).toBe(401);
  });

  it('answers missing parameters and body with HTTP 400 JSON', async () => {
    const noCif = await call(t.sandbox, rest('test', 'upload', { standard: 'UBL' }), { body: invoice('A') });
    expect(noCif.status).toBe(400);
    expect(await noCif.json()).toEqual({
      timestamp: '10-03-2026 10:00:00',
      status: 400,
      error: 'Bad Request',
      message: 'Parametrii standard si cif sunt obligatorii',
    });
    const noBody = await call(t.sandbox, rest('test', 'upload', { standard: 'UBL', cif: SUPPLIER_CIF }), { method: 'POST' });
    expect(noBody.status).toBe(400);
    expect(((await noBody.json()) as { message: string }).message).toBe('Trebuie sa aveti atasat in request un fisier de tip xml');
  });

  const cases: Array<[string, Record<string, string>, string]> = [
    ['a bad standard', { standard: 'XML' }, 'Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP'],
    ['a non-numeric cif', { cif: '123a' }, 'CIF introdus= 123a nu este un numar'],
    ['a RO-prefixed cif', { cif: `RO${SUPPLIER_CIF}` }, `CIF introdus= RO${SUPPLIER_CIF} nu este un numar`],
    ['extern other than DA', { extern: 'da' }, 'Daca parametrul extern trebuie completat, valoarea acceptata este DA'],
    ['autofactura other than DA', { autofactura: 'NU' }, 'Daca parametrul autofacturare trebuie completat, valoarea acceptata este DA'],
    ['executare other than DA', { executare: '1' }, 'Daca parametrul executare trebuie completat, valoarea acceptata este DA'],
    ['executare for an unregistered cif', { executare: 'DA' }, `CIF introdus= ${SUPPLIER_CIF} nu este inregistrat in Registrul RO e-Factura executari silite`],
    ['a cif without SPV rights', { cif: OTHER_CIF }, `Nu aveti drept in SPV pentru CIF=${OTHER_CIF}`],
  ];
  it.each(cases)('refuses %s with ExecutionStatus="1"', async (_name, query, message) => {
    const up = await upload(t.sandbox, invoice('A'), query);
    expect(up.status).toBe(200);
    expect(up.index).toBeNull();
    expect(up.text).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
        '<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse="202603101000" ExecutionStatus="1">\r\n' +
        `    <Errors errorMessage="${message}"/>\r\n</header>`,
    );
  });

  it('refuses a token with no rights at all', async () => {
    const up = await upload(t.sandbox, invoice('A'), {}, { token: 'empty' });
    expect(up.errors).toEqual(['Nu exista niciun CIF pentru care sa aveti drept in SPV']);
  });

  it('refuses a file over 10 MB with ANAF\'s text', async () => {
    const big = invoice('BIG').replace('</Invoice>', `<!--${'x'.repeat(10 * 1024 * 1024)}--></Invoice>`);
    const up = await upload(t.sandbox, big);
    expect(up.errors).toEqual(['Marime fisier transmis mai mare de 10 MB.']);
  });

  it('refuses malformed XML with a SAXParseException-style message', async () => {
    const up = await upload(t.sandbox, '<?xml version="1.0"?>\n<Invoice>\n  <cbc:ID>1</Invoice>');
    expect(up.errors).toHaveLength(1);
    expect(up.errors[0]).toMatch(
      /^Fisierul transmis nu este valid\. org\.xml\.sax\.SAXParseException; lineNumber: 3; columnNumber: \d+; .+ $/,
    );
    const notXml = await upload(t.sandbox, 'hello');
    expect(notXml.errors).toEqual([
      'Fisierul transmis nu este valid. org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: 5; Content is not allowed in prolog. ',
    ]);
  });

  it('refuses a root that does not match the standard, naming it as Xerces does', async () => {
    const up = await upload(t.sandbox, invoice('A').replace(/<Invoice /, '<Invoice1 ').replace('</Invoice>', '</Invoice1>'));
    expect(up.errors[0]).toMatch(/^Fisierul transmis nu este valid\. org\.xml\.sax\.SAXParseException; lineNumber: 2; columnNumber: \d+; cvc-elt\.1\.a: Cannot find the declaration of element 'Invoice1'\. $/);
    const asCreditNote = await upload(t.sandbox, invoice('A'), { standard: 'CN' });
    expect(asCreditNote.errors[0]).toContain("Cannot find the declaration of element 'Invoice'.");
  });

  it('refuses a DOCTYPE (entity expansion) safely', async () => {
    const bomb =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n' +
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>';
    const up = await upload(t.sandbox, bomb);
    expect(up.index).toBeNull();
    expect(up.errors[0]).toContain('DOCTYPE is disallowed');
    const external = await upload(t.sandbox, '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>');
    expect(external.errors[0]).toContain('DOCTYPE is disallowed');
    expect(t.sandbox.state.uploads('test')).toHaveLength(0);
  });

  it('takes a credit note under CN and a consumer invoice on uploadb2c', async () => {
    const cn = buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id: 'CN-1', issueDate: '2026-03-09', creditNote: true });
    const up = await upload(t.sandbox, cn, { standard: 'CN' });
    expect(up.index).not.toBeNull();
    // A consumer without a CNP: no VAT id, and ANAF's thirteen zeros as the legal identifier (BR-RO-120).
    const b2c = invoice('B2C-1')
      .replace(/(<cac:AccountingCustomerParty>[\s\S]*?)<cac:PartyTaxScheme>[\s\S]*?<\/cac:PartyTaxScheme>/, '$1')
      .replace(/(<cac:AccountingCustomerParty>[\s\S]*?<cac:PartyLegalEntity><cbc:RegistrationName>[^<]*<\/cbc:RegistrationName>)/, '$1<cbc:CompanyID>0000000000000</cbc:CompanyID>');
    const upB2c = await upload(t.sandbox, b2c, {}, { b2c: true });
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('ok');
    expect((await stareMesaj(t.sandbox, upB2c.index!)).stare).toBe('ok');
  });
});

describe('stareMesaj answers', () => {
  it('answers a missing parameter with HTTP 400', async () => {
    const res = await call(t.sandbox, rest('test', 'stareMesaj'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('Parametrul id_incarcare este obligatoriu');
  });

  it('answers unknown, non-numeric and foreign indexes with ANAF\'s texts', async () => {
    expect((await stareMesaj(t.sandbox, '15000')).text).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1">\n' +
        '    <Errors errorMessage="Nu exista factura cu id_incarcare= 15000"/>\n</header>',
    );
    expect((await stareMesaj(t.sandbox, 'aaa')).errors).toEqual(['Id_incarcare introdus= aaa nu este un numar intreg']);
    const up = await upload(t.sandbox, invoice('MINE-1'));
    expect((await stareMesaj(t.sandbox, up.index!, 'test', 'other')).errors).toEqual([
      `Nu aveti dreptul de inteorgare pentru id_incarcare= ${up.index}`,
    ]);
    expect((await stareMesaj(t.sandbox, up.index!, 'test', 'empty')).errors).toEqual(['Nu exista niciun CIF petru care sa aveti drept']);
  });
});

describe('RASP (buyer messages)', () => {
  it('carries a buyer message to the supplier', async () => {
    const inv = await upload(t.sandbox, invoice('RASP-INV-1'));
    t.clock.advance(2000);
    const rasp = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<header xmlns="mfp:anaf:dgti:spv:reqMesaj:v1" index_incarcare="${inv.index}" message="Marfa primita incompleta"/>`;
    const up = await upload(t.sandbox, rasp, { standard: 'RASP', cif: BUYER_CIF });
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('ok');
    const seen = t.sandbox.state.messages('test', SUPPLIER_CIF).flatMap((m) => m.views.filter((v) => v.cif === SUPPLIER_CIF).map((v) => v.tip));
    expect(seen).toContain('MESAJ CUMPARATOR PRIMIT');
  });
});

describe('ANAF\'s CIUS-RO examples', () => {
  const dir = referencePath('corpus', 'ciusro-valid');
  it.skipIf(dir === null)('accepts the examples whose supplier CIF is a valid CUI', async () => {
    if (dir === null) return;
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    let accepted = 0;
    for (const file of files) {
      const bytes = readFileSync(path.join(dir, file));
      const cif = readInvoiceMetadata(bytes).supplierCif ?? undefined;
      const local = await startTestSandbox({ processingDelayMs: 0 });
      try {
        const up = await upload(local.sandbox, bytes, { cif: cif ?? SUPPLIER_CIF });
        expect(up.index, file).not.toBeNull();
        const st = await stareMesaj(local.sandbox, up.index!);
        if (cif !== undefined) {
          expect(st.stare, file).toBe('ok');
          accepted++;
        } else {
          // No Romanian CUI identifies the seller: the CUI check fails (RO1111111111118).
          expect(st.stare, file).toBe('nok');
        }
      } finally {
        await local.sandbox.close();
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
  if (dir === null) console.log('skipping the CIUS-RO corpus cases: ../shared/reference/corpus/ciusro-valid is absent');
});
