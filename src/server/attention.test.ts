import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../adapters/store/open.js';
import { newInvoice } from '../adapters/store/suite/harness.js';
import type { Company } from '../domain/company.js';
import type { Invoice } from '../domain/invoice.js';
import type { Store } from '../ports/store.js';
import { recordUploadId, resendInvoice, resendUnconfirmed, type Decider } from './attention.js';

const engine = { instance: 'engine-1', cause: 'test' };
const person: Decider = { instance: 'api', by: 'ana' };
/** A local validation warning kept with the invoice: a decision must not drop it. */
const WARNING = { text: 'BR-RO-A999 warning', source: 'local', ruleId: 'BR-RO-A999', severity: 'warning' } as const;

let store: Store;
let company: Company;

beforeEach(async () => {
  store = await openStore({ path: ':memory:' });
  company = await store.upsertCompany({ cif: '8000000000', shortName: 'DEMO', name: 'Demo SRL', environment: 'test' });
});
afterEach(async () => {
  await store.close();
});

/** An invoice whose upload got no answer and never appeared in ANAF's list: the engine stopped at needs-attention. */
async function unconfirmed(): Promise<Invoice> {
  const created = await store.intake(newInvoice(company.id), engine);
  if (created.kind !== 'created') throw new Error(created.kind);
  const [claim] = await store.claimForUpload(company.id, 'test', 1, new Date(Date.now() + 60_000), engine);
  expect(claim!.invoice.id).toBe(created.invoice.id);
  const [stopped] = await store.transition([
    {
      invoiceId: created.invoice.id,
      from: 'uploading',
      to: 'needs-attention',
      patch: { lastError: 'no answer, not in the list', messages: [WARNING, { text: 'no answer, not in the list', source: 'local' }] },
      cause: engine,
    },
  ]);
  return stopped!;
}

describe("a person's decision on an unconfirmed upload", () => {
  it('resends it: queued again, the error cleared, who decided in its history, and the engine claims it again', async () => {
    const invoice = await unconfirmed();
    const queued = await resendInvoice(store, invoice, person);
    expect(queued).toMatchObject({ status: 'queued', lastError: null, uploadId: null, messages: [WARNING] });
    const last = (await store.listEvents(invoice.id)).at(-1)!;
    expect(last).toMatchObject({ fromStatus: 'needs-attention', toStatus: 'queued', cause: 'person-resend', details: { by: 'ana' } });
    const again = await store.claimForUpload(company.id, 'test', 10, new Date(Date.now() + 60_000), engine);
    expect(again.map((c) => c.invoice.id)).toEqual([invoice.id]);
  });

  it('records the upload id found in SPV: processing, sent at the time of the last attempt', async () => {
    const invoice = await unconfirmed();
    const [attempt] = await store.listAttempts(invoice.id);
    const tracked = await recordUploadId(store, invoice, ' 5001234567 ', person);
    expect(tracked).toMatchObject({ status: 'processing', uploadId: '5001234567', lastError: null, messages: [WARNING] });
    expect(tracked.uploadedAt?.getTime()).toBe(attempt!.startedAt.getTime());
    expect((await store.listEvents(invoice.id)).at(-1)).toMatchObject({ cause: 'person-upload-id', details: { by: 'ana', uploadId: '5001234567' } });
  });

  it('refuses an upload id that is not digits, or that another invoice has', async () => {
    const invoice = await unconfirmed();
    await expect(recordUploadId(store, invoice, '50-12', person)).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('digits only') });
    const other = await unconfirmed();
    await recordUploadId(store, other, '5001234567', person);
    await expect(recordUploadId(store, invoice, '5001234567', person)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`already belongs to invoice ${other.invoiceId} (id ${other.id})`),
    });
    expect((await store.getInvoice(invoice.id))?.status).toBe('needs-attention');
  });

  it('never resends an invoice ANAF has, nor one that is not waiting for a person', async () => {
    const invoice = await unconfirmed();
    const tracked = await recordUploadId(store, invoice, '5001234567', person);
    // Later stopped again (answer not downloadable in time): ANAF has it, so no resend.
    const [stopped] = await store.transition([{ invoiceId: invoice.id, from: 'processing', to: 'needs-attention', cause: engine }]);
    await expect(resendInvoice(store, stopped!, person)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('under upload id 5001234567: sending it again would file it twice'),
    });
    await expect(resendInvoice(store, tracked, person)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is processing') });
  });

  it('answers a decision on an invoice that changed meanwhile with a conflict, changing nothing', async () => {
    const invoice = await unconfirmed();
    await resendInvoice(store, invoice, person);
    await expect(resendInvoice(store, invoice, person)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed meanwhile (it is queued)') });
  });

  it('resends every unconfirmed one of the company at once, and none that ANAF has', async () => {
    const a = await unconfirmed();
    const b = await unconfirmed();
    const atAnaf = await unconfirmed();
    await recordUploadId(store, atAnaf, '5009999999', person);
    await store.transition([{ invoiceId: atAnaf.id, from: 'processing', to: 'needs-attention', cause: engine }]);
    const resent = await resendUnconfirmed(store, company, person);
    expect(resent.map((i) => i.id)).toEqual([a.id, b.id]);
    expect((await store.getInvoice(atAnaf.id))?.status).toBe('needs-attention');
    expect(await resendUnconfirmed(store, company, person)).toEqual([]);
  });
});
