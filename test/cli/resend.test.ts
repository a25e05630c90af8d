/** `efact resend`: a person's decision on invoices whose upload ANAF never confirmed (needs-attention). */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open.js';
import { CIF, ensureCliBuilt, invoiceXml, useWorkspaces, type Workspace } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);
const workspace = useWorkspaces();

/** Submits the invoices, then stops each the way reconciliation does: uploaded, no answer, not in ANAF's list. Returns their ids. */
async function unconfirmed(ws: Workspace, ids: string[]): Promise<number[]> {
  for (const id of ids) ws.write(`export/${id}.xml`, invoiceXml(id));
  const r = await ws.cli(['submit', '--company', CIF, `${ws.root}/export`]);
  expect(r.code, r.stderr).toBe(0);
  const store = await openStore({ path: ws.dbPath });
  try {
    const company = (await store.getCompanyByCif(CIF))!;
    const cause = { instance: 'test', cause: 'upload-unconfirmed' };
    const claimed = await store.claimForUpload(company.id, 'test', 100, new Date(Date.now() + 60_000), cause);
    await store.transition(
      claimed.map((c) => ({ invoiceId: c.invoice.id, from: 'uploading' as const, to: 'needs-attention' as const, patch: { lastError: 'no answer, not in the list' }, cause })),
    );
    return claimed.map((c) => c.invoice.id);
  } finally {
    await store.close();
  }
}

async function statusOf(ws: Workspace, id: number): Promise<{ status: string; uploadId: string | null }> {
  const store = await openStore({ path: ws.dbPath });
  try {
    const i = (await store.getInvoice(id))!;
    return { status: i.status, uploadId: i.uploadId };
  } finally {
    await store.close();
  }
}

describe('efact resend', () => {
  it('resends one, records the upload id of another, and says how in efact status', async () => {
    const ws = workspace({ config: true });
    const [a, b] = await unconfirmed(ws, ['RS-1', 'RS-2']);
    const status = await ws.cli(['status']);
    expect(status.stdout).toContain(`#${a} RS-1: no answer, not in the list`);
    expect(status.stdout).toContain('efact resend <#id>');

    const resent = await ws.cli(['resend', String(a)]);
    expect(resent.code, resent.stderr).toBe(0);
    expect(resent.stdout).toContain(`#${a} RS-1: queued again`);
    expect(await statusOf(ws, a!)).toEqual({ status: 'queued', uploadId: null });

    const recorded = await ws.cli(['resend', String(b), '--upload-id', '5001234567']);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain('upload id 5001234567 recorded');
    expect(await statusOf(ws, b!)).toEqual({ status: 'processing', uploadId: '5001234567' });

    // Neither is waiting for a person any more: refused, each with its reason, exit code 1.
    const again = await ws.cli(['resend', String(a), String(b), '999']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`#${a}: invoice RS-1 (id ${a}) is queued`);
    expect(again.stderr).toContain(`#${b}: invoice RS-2 (id ${b}) is processing`);
    expect(again.stderr).toContain('#999: no invoice with id 999');
  });

  it('resends every unconfirmed one of a company with --unconfirmed --yes, and asks without --yes', async () => {
    const ws = workspace({ config: true });
    const ids = await unconfirmed(ws, ['RS-3', 'RS-4']);
    const refused = await ws.cli(['resend', '--company', CIF, '--unconfirmed']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes to confirm');
    const r = await ws.cli(['resend', '--company', `RO${CIF}`, '--unconfirmed', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 invoice(s) of TEST queued again');
    for (const id of ids) expect((await statusOf(ws, id)).status).toBe('queued');
  });
});
