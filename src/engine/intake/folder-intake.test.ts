import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import { openStore } from '../../adapters/store/open.js';
import type { Store } from '../../ports/store.js';
import { buildSampleInvoice } from '../../sandbox/anaf/sample-invoice.js';
import type { EngineLogger } from '../context.js';
import { FolderIntake, matchPathPattern, parseSidecar, type FolderIntakeOptions } from './folder-intake.js';
import { IntakeRejections } from './intake-rejections.js';
import { IntakeService, type IntakeRequest } from './intake-service.js';
import { sleep, waitFor } from '../../../test/helpers/wait.js';

const CIF = '8000000000';
const BUYER = '8609468';
const STABLE_MS = 100;

function invoiceXml(id: string, note?: string): string {
  return buildSampleInvoice({ supplierCif: CIF, buyerCif: BUYER, id, issueDate: '2026-11-05', ...(note ? { note } : {}) });
}


interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function spyLogger(): EngineLogger & { entries: LogEntry[]; at(level: LogEntry['level']): LogEntry[] } {
  const entries: LogEntry[] = [];
  const push = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj: obj as Record<string, unknown>, msg });
  };
  return {
    entries,
    at: (level) => entries.filter((e) => e.level === level),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

describe('FolderIntake', () => {
  let dir: string;
  let store: Store;
  let company: Company;
  let intake: IntakeService;
  let log: ReturnType<typeof spyLogger>;
  let rejections: IntakeRejections;
  let accepted: number;
  let running: FolderIntake[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'efact-folder-intake-'));
    store = await openStore({ path: ':memory:' });
    company = await store.upsertCompany({ cif: CIF, shortName: 'T', name: 'T SRL', environment: 'test', exportFolder: dir });
    intake = new IntakeService(store, 'test-1');
    log = spyLogger();
    rejections = new IntakeRejections();
    accepted = 0;
    running = [];
  });

  afterEach(async () => {
    for (const fi of running) await fi.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function startIntake(extra: Partial<FolderIntakeOptions> = {}): Promise<FolderIntake> {
    const fi = new FolderIntake({
      companyCif: CIF,
      folder: dir,
      pathPattern: null,
      intake,
      log,
      onAccepted: () => {
        accepted += 1;
      },
      stableMs: STABLE_MS,
      usePolling: true,
      rejections,
      ...extra,
    });
    running.push(fi);
    await fi.start();
    return fi;
  }

  function invoices(): Promise<Invoice[]> {
    return store.listInvoices({ companyId: company.id, limit: 1000, order: 'asc' });
  }

  async function waitForInvoices(n: number): Promise<Invoice[]> {
    return waitFor(`${n} invoice(s)`, async () => {
      const list = await invoices();
      return list.length >= n ? list : undefined;
    });
  }

  /** Waits until the intake logged something about `file` (absolute path or path relative to the folder). */
  function waitForLog(level: LogEntry['level'], file: string): Promise<LogEntry> {
    const rel = path.isAbsolute(file) ? path.relative(dir, file) : file;
    return waitFor(`a ${level} log about ${rel}`, () =>
      log.at(level).find((e) => e.obj['file'] === rel || e.obj['file'] === path.join(dir, rel)),
    );
  }

  async function write(rel: string, content: string | Uint8Array): Promise<string> {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  it("takes the manuals' layout Efact2026_11/Fact/Fact1.XML (upper-case extension) and .xml files", async () => {
    await startIntake();
    const upper = await write(path.join('Efact2026_11', 'Fact', 'Fact1.XML'), invoiceXml('FCT-0001'));
    const lower = await write(path.join('Efact2026_11', 'Fact', 'Fact2.xml'), invoiceXml('FCT-0002'));
    const list = await waitForInvoices(2);
    const byPath = new Map(list.map((i) => [i.origin.sourcePath, i]));
    expect(byPath.get(upper)).toMatchObject({ invoiceId: 'FCT-0001', status: 'queued', origin: { channel: 'folder', computer: os.hostname() } });
    expect(byPath.get(lower)).toMatchObject({ invoiceId: 'FCT-0002', status: 'queued' });
    expect(Buffer.from((await store.getInvoiceXml(byPath.get(upper)!.id))!).toString('utf8')).toBe(invoiceXml('FCT-0001'));
    await waitFor('two acceptances', () => accepted === 2);
    expect(log.at('warn')).toEqual([]);
  });

  it('takes files already in the folder when it starts', async () => {
    const a = await write(path.join('Efact2026_11', 'Fact', 'Fact1.XML'), invoiceXml('FCT-0010'));
    const b = await write('F11.xml', invoiceXml('FCT-0011'));
    const fi = await startIntake();
    await fi.settle();
    const list = await waitForInvoices(2);
    expect(list.map((i) => i.origin.sourcePath).sort()).toEqual([a, b].sort());
  });

  it("sets origin and overrides series / number from a sidecar Fact1.json", async () => {
    await startIntake();
    // The ERP writes the sidecar first, then the invoice (UTF-8 BOM as Windows tools write it).
    await write(path.join('Fact', 'Fact1.json'), '\uFEFF' + JSON.stringify({ computer: 'PC-CASA-2', user: 'ana', branch: 'Iasi', series: 'FX', number: '77' }));
    const file = await write(path.join('Fact', 'Fact1.XML'), invoiceXml('FCT-0020'));
    const [inv] = await waitForInvoices(1);
    expect(inv).toMatchObject({
      invoiceId: 'FCT-0020',
      series: 'FX',
      number: '77',
      origin: { channel: 'folder', sourcePath: file, computer: 'PC-CASA-2', user: 'ana', branch: 'Iasi' },
    });
  });

  it('keeps series / number from the XML when the sidecar has only the origin', async () => {
    await startIntake();
    await write('Fact3.json', JSON.stringify({ computer: 'PC1', user: 'ion' }));
    await write('Fact3.xml', invoiceXml('FCT-0021'));
    const [inv] = await waitForInvoices(1);
    expect(inv).toMatchObject({ series: 'FCT', number: '0021', origin: { computer: 'PC1', user: 'ion', branch: null } });
  });

  it('fills branch and user from a path pattern {branch}/{user}/*.xml', async () => {
    await startIntake({ pathPattern: '{branch}/{user}/*.xml' });
    await write(path.join('Cluj', 'maria', 'F1.xml'), invoiceXml('FCT-0030'));
    const [inv] = await waitForInvoices(1);
    expect(inv!.origin).toMatchObject({ branch: 'Cluj', user: 'maria', computer: os.hostname() });
  });

  it('lets a sidecar win over the path pattern', async () => {
    await startIntake({ pathPattern: '{branch}/{user}/*.xml' });
    await write(path.join('Cluj', 'maria', 'F2.json'), JSON.stringify({ user: 'george' }));
    await write(path.join('Cluj', 'maria', 'F2.xml'), invoiceXml('FCT-0031'));
    const [inv] = await waitForInvoices(1);
    expect(inv!.origin).toMatchObject({ branch: 'Cluj', user: 'george' });
  });

  it('ignores files that are not XML', async () => {
    const fi = await startIntake();
    await write('notes.txt', 'not an invoice');
    await write(path.join('Fact', 'Fact1.pdf'), '%PDF-1.4');
    await write(path.join('Fact', 'orphan.json'), JSON.stringify({ user: 'x' }));
    await write('Fact.xml.bak', invoiceXml('FCT-0040'));
    // A real invoice written last: once it is in, the earlier files have been seen too.
    await write('Fact9.xml', invoiceXml('FCT-0041'));
    await waitForInvoices(1);
    await fi.settle();
    const list = await invoices();
    expect(list.map((i) => i.invoiceId)).toEqual(['FCT-0041']);
    expect(log.at('warn')).toEqual([]);
    expect(rejections.list()).toEqual([]);
  });

  it('takes a file written in two halves only once it is complete', async () => {
    const stableMs = 600;
    await startIntake({ stableMs });
    const full = invoiceXml('FCT-0050');
    const half = Math.floor(full.length / 2);
    const file = path.join(dir, 'Fact', 'Fact5.XML');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, full.slice(0, half));
    await sleep(stableMs / 3); // a pause, but shorter than the stability window
    await appendFile(file, full.slice(half));
    const [inv] = await waitForInvoices(1);
    expect(Buffer.from((await store.getInvoiceXml(inv!.id))!).toString('utf8')).toBe(full);
    expect(log.at('warn')).toEqual([]);
    expect(rejections.list()).toEqual([]);
    expect(await invoices()).toHaveLength(1);
  });

  it('reports a malformed file once, does not retry it while unchanged, and takes it when replaced by a valid one', async () => {
    const fi = await startIntake();
    const bad = await write(path.join('Fact', 'Fact6.XML'), '<Invoice><cbc:ID>broken');
    await waitForLog('warn', bad);
    expect(rejections.list(CIF)).toMatchObject([{ companyCif: CIF, file: path.join('Fact', 'Fact6.XML'), code: 'EFACT_ERR_INVALID_XML' }]);

    // Later activity in the folder: the malformed file is seen again but not reported again.
    await write(path.join('Fact', 'Fact7.XML'), invoiceXml('FCT-0061'));
    await waitForInvoices(1);
    await fi.settle();
    expect(log.at('warn')).toHaveLength(1);
    expect(rejections.list()).toHaveLength(1);

    await writeFile(bad, invoiceXml('FCT-0060'));
    const list = await waitForInvoices(2);
    expect(list.find((i) => i.origin.sourcePath === bad)).toMatchObject({ invoiceId: 'FCT-0060', status: 'queued' });
    expect(log.at('warn')).toHaveLength(1);
    // Taken after all: no longer shown as rejected.
    await waitFor('the rejection to be resolved', () => rejections.list().length === 0);
  });

  it('records an invoice of another supplier as rejected, with a clear code', async () => {
    await startIntake();
    const other = buildSampleInvoice({ supplierCif: '1234567', buyerCif: BUYER, id: 'ALT-1', issueDate: '2026-11-05' });
    const file = await write('alt.xml', other);
    await waitForLog('warn', file);
    const [r] = rejections.list(`RO${CIF}`);
    expect(r).toMatchObject({ companyCif: CIF, file: 'alt.xml', code: 'EFACT_ERR_WRONG_SUPPLIER' });
    expect(r!.message).toContain('1234567');
    expect(r!.at).toBeInstanceOf(Date);
    expect(await invoices()).toEqual([]);
  });

  it('treats the same content twice as one invoice', async () => {
    await startIntake();
    const xml = invoiceXml('FCT-0070');
    await write(path.join('Fact', 'Fact1.XML'), xml);
    await waitForInvoices(1);
    const again = await write(path.join('Fact', 'Fact1-copy.XML'), xml);
    await waitForLog('debug', again);
    const list = await invoices();
    expect(list).toHaveLength(1);
    expect(accepted).toBe(1);
    expect(log.at('warn')).toEqual([]);
  });

  const cause = { instance: 'test-1', cause: 'test' };

  /** The engine's part, by hand: the invoice is uploaded and ANAF has it, answer pending. */
  async function sendToAnaf(invoiceId: number, uploadId: string): Promise<void> {
    const claimed = await store.claimForUpload(company.id, 'test', 10, new Date(Date.now() + 60_000), cause);
    expect(claimed.map((c) => c.invoice.id)).toEqual([invoiceId]);
    const [processing] = await store.transition([
      {
        invoiceId,
        from: 'uploading',
        to: 'processing',
        patch: { uploadId, uploadedAt: new Date() },
        cause,
        attempt: { id: claimed[0]!.attempt.id, outcome: 'accepted', uploadId, note: null },
      },
    ]);
    expect(processing?.status).toBe('processing');
  }

  async function anafAnswers(invoiceId: number, verdict: 'ok' | 'nok'): Promise<void> {
    const [answered] = await store.transition([
      { invoiceId, from: 'processing', to: verdict, patch: { downloadId: '6000000001', resolvedAt: new Date() }, cause },
    ]);
    expect(answered?.status).toBe(verdict);
  }

  /** A file taken and sent to ANAF, then rewritten with a correction before ANAF answered; returns the first invoice. */
  async function correctedWhileAtAnaf(name: string, invoiceId: string, uploadId: string): Promise<Invoice> {
    await startIntake({ retryMs: 100 });
    const file = await write(name, invoiceXml(invoiceId, 'prima varianta'));
    const [first] = await waitForInvoices(1);
    await sendToAnaf(first!.id, uploadId);
    await writeFile(file, invoiceXml(invoiceId, 'varianta corectata'));
    await waitForLog('warn', file);
    return first!;
  }

  it('lets a corrected file replacing a NOK one supersede it', async () => {
    await startIntake();
    const file = await write(path.join('Efact2026_11', 'Fact', 'Fact8.XML'), invoiceXml('FCT-0080', 'prima varianta'));
    const [first] = await waitForInvoices(1);
    await sendToAnaf(first!.id, '5000000001');
    await anafAnswers(first!.id, 'nok');

    await writeFile(file, invoiceXml('FCT-0080', 'varianta corectata'));
    const list = await waitForInvoices(2);
    const second = list.find((i) => i.id !== first!.id)!;
    expect(second).toMatchObject({ invoiceId: 'FCT-0080', status: 'queued', supersedesId: first!.id, origin: { sourcePath: file } });
    expect((await store.getInvoice(first!.id))?.status).toBe('superseded');
    expect(Buffer.from((await store.getInvoiceXml(second.id))!).toString('utf8')).toContain('varianta corectata');
    expect(log.at('warn')).toEqual([]);
  });

  it("holds a corrected file while ANAF has not answered on the earlier one, and takes it once the answer is NOK", async () => {
    // The ERP exports the correction before ANAF's answer is known: it waits, said once.
    const first = await correctedWhileAtAnaf('Fact11.XML', 'FCT-0110', '5000000011');
    expect(log.at('warn')[0]!.obj).toMatchObject({ code: 'EFACT_ERR_AWAITING_VERDICT' });
    expect(rejections.list()).toMatchObject([{ file: 'Fact11.XML', code: 'EFACT_ERR_AWAITING_VERDICT', retrying: true }]);
    expect(rejections.list()[0]!.message).toContain('5000000011');
    await sleep(400); // several retries while the answer is pending
    expect(await invoices()).toHaveLength(1);

    await anafAnswers(first.id, 'nok');
    const list = await waitForInvoices(2);
    expect(list[1]).toMatchObject({ status: 'queued', supersedesId: first.id });
    expect((await store.getInvoice(first.id))?.status).toBe('superseded');
    await waitFor('the rejection to be resolved', () => rejections.list().length === 0);
    expect(log.at('warn')).toHaveLength(1);
  });

  it('refuses a corrected file for good once ANAF accepted the earlier one', async () => {
    const first = await correctedWhileAtAnaf('Fact12.XML', 'FCT-0120', '5000000012');

    await anafAnswers(first.id, 'ok');
    await waitFor('the refusal for good', () => rejections.list().find((r) => r.code === 'EFACT_ERR_CONFLICT'));
    expect(rejections.list()).toMatchObject([{ file: 'Fact12.XML', code: 'EFACT_ERR_CONFLICT' }]);
    expect(rejections.list()[0]!.message).toMatch(/already ok at ANAF \(upload id 5000000012\); a correction must be a new invoice or a credit note/);
    expect(await invoices()).toHaveLength(1);
  });

  it('rejects a file whose sidecar is unreadable, and takes it once the sidecar is fixed', async () => {
    await startIntake();
    await write('F9.json', '{"user": "ana", ');
    const file = await write('F9.xml', invoiceXml('FCT-0090'));
    await waitForLog('warn', file);
    expect(rejections.list()).toMatchObject([{ file: 'F9.xml', code: 'EFACT_ERR_INVALID_REQUEST' }]);
    expect(rejections.list()[0]!.message).toContain('F9.json');
    expect(await invoices()).toEqual([]);

    await write('F9.json', JSON.stringify({ user: 'ana', number: 90 }));
    const [inv] = await waitForInvoices(1);
    expect(inv).toMatchObject({ number: '90', origin: { user: 'ana' } });
    await waitFor('the rejection to be resolved', () => rejections.list().length === 0);
    expect(log.at('warn')).toHaveLength(1);
  });

  it('tries again a file that failed for a passing reason (store busy), logging it once', async () => {
    let failures = 2;
    const flaky = new (class extends IntakeService {
      override async submit(req: IntakeRequest) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('SQLITE_BUSY: database is locked');
        }
        return super.submit(req);
      }
    })(store, 'test-1');
    await startIntake({ intake: flaky, retryMs: 50 });
    const file = await write('F10.xml', invoiceXml('FCT-0100'));
    await waitForLog('warn', file);
    const [inv] = await waitForInvoices(1);
    expect(inv!.origin.sourcePath).toBe(file);
    expect(log.at('warn')).toHaveLength(1);
    expect(log.at('warn')[0]!.obj).toMatchObject({ code: 'EFACT_ERR_INTERNAL' });
    await waitFor('the rejection to be resolved', () => rejections.list().length === 0);
  });

  it('forgets the rejection of a file that is removed', async () => {
    await startIntake();
    const bad = await write('junk.xml', 'not xml at all');
    await waitForLog('warn', bad);
    expect(rejections.count(CIF)).toBe(1);
    await rm(bad);
    await waitFor('the rejection to be forgotten', () => rejections.count(CIF) === 0);
  });

  it('works without a rejections record (the composition root may omit it)', async () => {
    await startIntake({ rejections: undefined });
    const bad = await write('junk.xml', '<<<');
    await waitForLog('warn', bad);
    expect(rejections.list()).toEqual([]);
  });
});

describe('matchPathPattern', () => {
  it('aligns the pattern with the end of the path', () => {
    expect(matchPathPattern('{branch}/{user}/*.xml', path.join('Efact2026_11', 'Iasi', 'ana', 'F1.xml'))).toEqual({ branch: 'Iasi', user: 'ana' });
    expect(matchPathPattern('{computer}/*.xml', 'F1.xml')).toEqual({});
  });
});

describe('parseSidecar', () => {
  const parse = (text: string) => parseSidecar('F.json', new TextEncoder().encode(text));

  it('reads strings, numbers for series / number, and ignores null and unknown fields', () => {
    expect(parse('{"computer":" PC1 ","series":"F","number":12,"user":null,"extra":true}')).toEqual({
      values: { computer: 'PC1', series: 'F', number: '12' },
    });
  });

  it('refuses what is not a JSON object of strings', () => {
    for (const bad of ['', '[1]', '"x"', '{"user": 5}', '{"branch": {}}', '{']) {
      const r = parse(bad);
      expect('error' in r && r.error.code).toBe('INVALID_REQUEST');
    }
  });
});
