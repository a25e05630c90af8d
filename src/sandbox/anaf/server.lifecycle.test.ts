import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readZip } from '../../zip/zip.js';
import { buildSampleInvoice } from './sample-invoice.js';
import { SIGNATURE } from './texts.js';
import {
  BUYER_CIF,
  call,
  getJson,
  rest,
  stareMesaj,
  startTestSandbox,
  SUPPLIER_CIF,
  upload,
  type TestSandbox,
} from './test-helpers.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(async () => {
  await t.sandbox.close();
});

const invoice = (id = 'FCT-0001', extra: Partial<Parameters<typeof buildSampleInvoice>[0]> = {}): string =>
  buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id, issueDate: '2026-03-09', ...extra });

async function download(id: string): Promise<{ res: Response; bytes: Uint8Array }> {
  const res = await call(t.sandbox, rest('test', 'descarcare', { id }));
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function signatureForm(file: Uint8Array, signature: Uint8Array): FormData {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'text/xml' }), 'factura.xml');
  form.append('signature', new Blob([signature], { type: 'text/xml' }), 'semnatura.xml');
  return form;
}

describe('an accepted invoice, end to end', () => {
  it('goes upload → in prelucrare → ok → listed → downloaded, with a signature that checks', async () => {
    const xml = invoice();
    const up = await upload(t.sandbox, xml);
    expect(up.status).toBe(200);
    // 10:00 Bucharest on the sandbox clock (T0 is 08:00 UTC in March, UTC+2).
    expect(up.text).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
        `<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse="202603101000" ExecutionStatus="0" index_incarcare="${up.index}"/>`,
    );
    expect(up.index).toMatch(/^\d+$/);

    const pending = await stareMesaj(t.sandbox, up.index!);
    expect(pending.text).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1" stare="in prelucrare"/>',
    );

    t.clock.advance(2000);
    const done = await stareMesaj(t.sandbox, up.index!);
    expect(done.stare).toBe('ok');
    expect(done.downloadId).toMatch(/^\d+$/);

    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      mesaje: [
        {
          data_creare: '202603101000',
          cif: SUPPLIER_CIF,
          id_solicitare: up.index,
          detalii: `Factura cu id_incarcare=${up.index} emisa de cif_emitent=${SUPPLIER_CIF} pentru cif_beneficiar=${BUYER_CIF}`,
          tip: 'FACTURA TRIMISA',
          id: done.downloadId,
        },
      ],
      serial: '1234AA456',
      cui: SUPPLIER_CIF,
      titlu: 'Lista Mesaje disponibile din ultimele 1 zile',
    });
    // The buyer receives it in its own inbox.
    const inbox = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: BUYER_CIF, filtru: 'P' }));
    expect((inbox.body.mesaje as Array<{ tip: string; id: string }>).map((m) => [m.tip, m.id])).toEqual([
      ['FACTURA PRIMITA', done.downloadId],
    ]);

    const { res, bytes } = await download(done.downloadId!);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = readZip(bytes);
    expect([...files.keys()].sort()).toEqual([`${done.downloadId}.xml`, `semnatura_${done.downloadId}.xml`]);
    const content = files.get(`${done.downloadId}.xml`)!;
    expect(Buffer.from(content).toString('utf8')).toBe(xml);
    const signature = files.get(`semnatura_${done.downloadId}.xml`)!;
    const signatureText = Buffer.from(signature).toString('utf8');
    expect(signatureText).toContain('xmlns="http://www.w3.org/2000/09/xmldsig#"');
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(signatureText)?.[1];
    expect(digest).toBe(createHash('sha256').update(content).digest('base64'));

    const valid = await call(t.sandbox, '/api/validate/signature', { body: signatureForm(content, signature), token: null });
    expect(valid.status).toBe(200);
    expect(await valid.json()).toEqual({ msg: SIGNATURE.valid });

    const tampered = Buffer.from(Buffer.from(content).toString('utf8').replace('1234.56', '1234.57'));
    const invalid = await call(t.sandbox, '/api/validate/signature', { body: signatureForm(tampered, signature), token: null });
    expect(invalid.status).toBe(200);
    expect(await invalid.json()).toEqual({ msg: SIGNATURE.invalid });

    expect(t.sandbox.counters.uploadsOf('test', SUPPLIER_CIF, 'FCT-0001')).toBe(1);
    expect(t.sandbox.counters.duplicateUploads()).toEqual([]);
  });

  it('decides at upload when processingDelayMs is 0', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ processingDelayMs: 0 });
    const up = await upload(t.sandbox, invoice());
    expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('ok');
  });

  it('keeps test and prod apart', async () => {
    const up = await upload(t.sandbox, invoice(), {}, { environment: 'prod' });
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, up.index!, 'prod')).stare).toBe('ok');
    const inTest = await stareMesaj(t.sandbox, up.index!, 'test');
    expect(inTest.errors).toEqual([`Nu exista factura cu id_incarcare= ${up.index}`]);
    expect(t.sandbox.counters.uploadsOf('prod', SUPPLIER_CIF, 'FCT-0001')).toBe(1);
    expect(t.sandbox.counters.uploadsOf('test', SUPPLIER_CIF, 'FCT-0001')).toBe(0);
  });
});

describe('NOK outcomes', () => {
  async function nokErrors(xml: string, query: Record<string, string> = {}): Promise<{ errors: string[]; document: string; index: string }> {
    const up = await upload(t.sandbox, xml, query);
    expect(up.index).not.toBeNull();
    t.clock.advance(2000);
    const st = await stareMesaj(t.sandbox, up.index!);
    expect(st.stare).toBe('nok');
    const { bytes } = await download(st.downloadId!);
    const document = Buffer.from(readZip(bytes).get(`${st.downloadId}.xml`)!).toString('utf8');
    const errors = [...document.matchAll(/<Error errorMessage="([^"]*)"\/>/g)].map((m) => m[1]!);
    return { errors, document, index: up.index! };
  }

  it('answers an old CustomizationID with BR-RO-001 in an error document', async () => {
    const { errors, document, index } = await nokErrors(
      invoice('FCT-2', { customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.0' }),
    );
    expect(document).toContain(
      `<header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" Index_incarcare="${index}" Cif_emitent="${SUPPLIER_CIF}">`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^E: validari globale {2}SCHEMATRON {3}eroare: \[BR-RO-001\]-/);
    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF, filtru: 'E' }));
    const [entry] = list.body.mesaje as Array<Record<string, string>>;
    expect(entry).toMatchObject({
      tip: 'ERORI FACTURA',
      id_solicitare: index,
      detalii: `Erori de validare identificate la factura transmisa cu id_incarcare=${index}`,
    });
  });

  it('refuses with the messages of the validator Efact uses (EN 16931 + CIUS-RO), in ANAF\'s Schematron shape', async () => {
    const xml = invoice('FCT-9').replace('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', '<cbc:InvoiceTypeCode>999</cbc:InvoiceTypeCode>');
    const { errors } = await nokErrors(xml);
    // A type code outside UNTDID 1001 breaks the EN 16931 code list and the RO list of allowed types alike.
    expect(errors.map((e) => /\[([A-Z0-9-]+)\]/.exec(e)?.[1])).toEqual(['BR-CL-01', 'BR-RO-020']);
    for (const e of errors) expect(e).toMatch(/^E: validari globale {2}SCHEMATRON {3}eroare: \[/);
  });

  it('wants a buyer identifier', async () => {
    const withoutBuyerVat = invoice('FCT-3').replace(
      /(<cac:AccountingCustomerParty>[\s\S]*?)<cac:PartyTaxScheme>[\s\S]*?<\/cac:PartyTaxScheme>/,
      '$1',
    );
    const { errors } = await nokErrors(withoutBuyerVat);
    expect(errors).toEqual([expect.stringMatching(/^E: AccountingCustomerParty \(1\) sectiune Party \(1\) sectiune PartyTaxScheme \(1\) sectiune CompanyID \(1\) {2}eroare regula: \[BR-RO-120\]/)]);
  });

  it('checks the supplier CUI check digit', async () => {
    const badCif = SUPPLIER_CIF.slice(0, -1) + String((Number(SUPPLIER_CIF.at(-1)) + 1) % 10);
    const { errors } = await nokErrors(invoice('FCT-4', { supplierCif: badCif }), { cif: badCif });
    expect(errors).toEqual([
      `E: AccountingSupplierParty (1) sectiune Party (1) sectiune PartyTaxScheme (1) sectiune CompanyID (1)  eroare regula: R_BT_32_cui: Cui vanzator incorect / validare CUI (${badCif}) `,
    ]);
  });

  it('refuses in processing an invoice whose supplier is not the cif parameter', async () => {
    const { errors } = await nokErrors(invoice('FCT-5', { supplierCif: BUYER_CIF, buyerCif: SUPPLIER_CIF }));
    expect(errors[0]).toContain('R_BT_32_cui');
    expect(errors[0]).toContain(`(${SUPPLIER_CIF})`);
  });

  it('takes self-billing from the buyer (autofactura=DA)', async () => {
    const up = await upload(t.sandbox, invoice('AUTO-1'), { cif: BUYER_CIF, autofactura: 'DA' });
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('ok');
    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: BUYER_CIF }));
    expect((list.body.mesaje as Array<Record<string, string>>)[0]!.detalii).toBe(
      `Factura cu id_incarcare=${up.index} transmisa de cif=${BUYER_CIF}  ca autofactutra in numele cif=${SUPPLIER_CIF}`,
    );
  });

  it('accepts a second upload of an accepted invoice and ends it NOK as already sent', async () => {
    const first = await upload(t.sandbox, invoice('DUP-1'));
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, first.index!)).stare).toBe('ok');
    const { errors } = await nokErrors(invoice('DUP-1'));
    expect(errors).toEqual([`Factura a mai fost transmisa anterior cu index=${first.index}`]);
    expect(t.sandbox.counters.uploadsOf('test', SUPPLIER_CIF, 'DUP-1')).toBe(2);
    expect(t.sandbox.counters.duplicateUploads()).toEqual([{ environment: 'test', cif: SUPPLIER_CIF, invoiceId: 'DUP-1', count: 2 }]);
  });

  it('lets a NOK invoice be corrected and sent again', async () => {
    await nokErrors(invoice('FIX-1', { customizationId: 'urn:old' }));
    const again = await upload(t.sandbox, invoice('FIX-1'));
    t.clock.advance(2000);
    expect((await stareMesaj(t.sandbox, again.index!)).stare).toBe('ok');
  });

  it('uses a custom decide hook', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ decide: (_xml, meta) => (meta.invoiceId.startsWith('BAD') ? { ok: false, errors: ['E: custom'] } : { ok: true }) });
    const { errors } = await nokErrors(invoice('BAD-1'));
    expect(errors).toEqual(['E: custom']);
  });
});

describe('XML ANAF does not take in', () => {
  it('answers "XML cu erori nepreluat de sistem" for a UBL root without cbc:ID, with nothing listed', async () => {
    const broken = invoice('X-1').replace(/<cbc:ID>X-1<\/cbc:ID>/, '');
    const up = await upload(t.sandbox, broken);
    expect(up.index).not.toBeNull();
    t.clock.advance(2000);
    const st = await stareMesaj(t.sandbox, up.index!);
    expect(st.text).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1" stare="XML cu erori nepreluat de sistem"/>',
    );
    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    expect(list.body).toEqual({ eroare: 'Nu exista mesaje in ultimele 1 zile', titlu: 'Lista Mesaje' });
  });
});
