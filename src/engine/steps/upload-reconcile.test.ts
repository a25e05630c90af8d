/**
 * The upload step and the reconciler against a scripted platform: what a stop (SIGKILL) in the
 * middle of a batch leaves behind, and the reconciler's timing with a platform that lists an
 * upload late or cannot hand a message over at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../ports/archive.js';
import type { AnafConnector, MessageListEntry, UploadReceipt, UploadRequest } from '../../ports/platform.js';
import type { Store } from '../../ports/store.js';
import type { Invoice } from '../../domain/invoice.js';
import { EfactError } from '../../domain/errors.js';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { openSqliteStore } from '../../adapters/store/sqlite.js';
import { addCompany, createInvoice } from '../../adapters/store/suite/harness.js';
import { writeZip } from '../../zip/zip.js';
import { DEFAULT_ENGINE_SETTINGS, silentLogger, type EngineContext } from '../context.js';
import { runUploadStep } from './upload-step.js';
import { markInterruptedAttempts, runReconcileStep } from './reconcile-step.js';

const GRACE = 20 * 60_000;

interface Message {
  id: string;
  uploadId: string;
  xml: Uint8Array;
  createdAt: Date;
}

/** The platform as the engine sees it: uploads taken, their messages, and scripted trouble. */
class ScriptedPlatform {
  messages: Message[] = [];
  uploads: Array<{ xml: Uint8Array; at: Date }> = [];
  /** Decides each upload; by default the platform takes it and answers at once. */
  onUpload: (req: UploadRequest, n: number) => Promise<UploadReceipt> = async (req) => {
    await req.beforeSend?.();
    return { uploadId: this.take(req.xml, this.clock.now()), respondedAt: null };
  };
  failDownloads = 0;
  /** Message-list calls made. */
  lists = 0;
  private nextId = 5000;

  constructor(private readonly clock: ManualClock) {}

  /** The platform takes a file: an upload id, and a message listed from `listedAt`. */
  take(xml: Uint8Array, listedAt: Date): string {
    const uploadId = String(this.nextId++);
    this.uploads.push({ xml, at: this.clock.now() });
    this.messages.push({ id: `m${uploadId}`, uploadId, xml, createdAt: listedAt });
    return uploadId;
  }

  connector(): AnafConnector {
    let n = 0;
    const connector: Partial<AnafConnector> = {
      upload: (req) => this.onUpload(req, n++),
      listMessagesPaged: async (req) => {
        this.lists++;
        return this.messages
          .filter((m) => m.createdAt >= req.start && m.createdAt <= req.end)
          .map(
            (m): MessageListEntry => ({
              id: m.id,
              uploadId: m.uploadId,
              cif: '1234567',
              kind: 'invoice-sent',
              rawType: 'FACTURA TRIMISA',
              details: '',
              createdAt: m.createdAt,
            }),
          );
      },
      download: async ({ downloadId }) => {
        if (this.failDownloads > 0) {
          this.failDownloads--;
          throw new EfactError('PLATFORM_UNAVAILABLE', 'A aparut o eroare tehnica. Cod: 500');
        }
        const m = this.messages.find((x) => x.id === downloadId)!;
        return writeZip({ [`${m.id}.xml`]: m.xml, [`semnatura_${m.id}.xml`]: new TextEncoder().encode('<Signature/>') });
      },
    };
    return connector as AnafConnector;
  }
}

const never = new Promise<never>(() => {});

describe('upload step and reconciler', () => {
  let store: Store & { close?: () => Promise<void> };
  let clock: ManualClock;
  let platform: ScriptedPlatform;

  async function setUp(): Promise<void> {
    clock = new ManualClock();
    store = await openSqliteStore({ path: ':memory:', clock });
    platform = new ScriptedPlatform(clock);
  }

  afterEach(async () => {
    await store?.close?.();
  });

  function context(over: Partial<EngineContext['settings']> = {}): EngineContext {
    return {
      store,
      connector: platform.connector(),
      archive: {} as Archive,
      clock,
      instance: 'test-1',
      settings: { ...DEFAULT_ENGINE_SETTINGS, concurrency: 3, uploadBatch: 100, uncertainGraceMs: GRACE, ...over },
      log: silentLogger,
    };
  }

  /** An invoice whose upload timed out although the platform took it; its message is listed a second later. */
  async function takenWithoutAnswer(companyId: number): Promise<Invoice> {
    const inv = await createInvoice(store, companyId);
    const [claim] = await store.claimForUpload(companyId, 'test', 1, clock.now(), { instance: 'test-1', cause: 'claim' });
    await store.markAttemptSending(claim!.attempt.id, clock.now());
    await store.finishAttempt(claim!.attempt.id, 'uncertain', null, 'timeout', clock.now());
    platform.take((await store.getInvoiceXml(inv.id))!, clock.now());
    clock.advance(1_000);
    return inv;
  }

  async function statuses(companyId: number): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const s of await store.countByStatus(companyId)) out[s.status] = s.count;
    return out;
  }

  it('a stop mid-batch leaves only the requests that left uncertain; claims still waiting are queued again, nothing needs a person', async () => {
    await setUp();
    const company = await addCompany(store);
    const invoices = [];
    for (let i = 0; i < 10; i++) invoices.push(await createInvoice(store, company.id));
    // Slots 1 and 2: the request leaves and the platform takes it, but no answer comes before the
    // stop. Slot 3: still waiting for the rate governor when the stop comes.
    let started = 0;
    const normal = platform.onUpload;
    platform.onUpload = async (req, n) => {
      started++;
      if (n < 2) {
        await req.beforeSend?.();
        platform.take(req.xml, clock.now());
      }
      return never;
    };
    void runUploadStep(context(), company);
    for (let i = 0; i < 100 && started < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(started).toBe(3);
    // Only what the free slots took was claimed: the batch's other 7 were never touched.
    expect(await statuses(company.id)).toEqual({ uploading: 3, queued: 7 });

    // SIGKILL: the step never finishes. The restart (same instance) sorts out what it left.
    clock.advance(5_000);
    platform.onUpload = normal;
    const restarted = context();
    expect(await markInterruptedAttempts(restarted)).toBe(2);
    const [a, b, c] = invoices;
    expect((await store.listAttempts(a!.id)).map((x) => x.outcome)).toEqual(['uncertain']);
    expect((await store.listAttempts(b!.id)).map((x) => x.outcome)).toEqual(['uncertain']);
    expect((await store.listAttempts(c!.id)).map((x) => x.outcome)).toEqual(['not-sent']);
    expect((await store.getInvoice(c!.id))?.status).toBe('queued');

    // The restarted instance sends the 8 not sent, once each, and finds the 2 at the platform.
    const up = await runUploadStep(restarted, company);
    expect(up).toEqual({ changed: 8, claimed: 8 });
    clock.advance(2_000);
    const rc = await runReconcileStep(restarted, company);
    expect(rc.changed).toBe(2);
    expect(await statuses(company.id)).toEqual({ processing: 10 });
    expect(platform.uploads).toHaveLength(10);
    expect(new Set(platform.uploads.map((u) => new TextDecoder().decode(u.xml))).size).toBe(10);
  });

  it('a claim given back while its claimer waited is not sent on that claim: sent once, on the next', async () => {
    await setUp();
    const company = await addCompany(store);
    const inv = await createInvoice(store, company.id);
    let release: () => void = () => {};
    const waiting = new Promise<void>((r) => (release = r));
    let sent = 0;
    platform.onUpload = async (req) => {
      await waiting; // the governor's wait
      await req.beforeSend?.();
      sent++;
      return { uploadId: '1', respondedAt: null };
    };
    const step = runUploadStep(context({ concurrency: 1 }), company);
    for (let i = 0; i < 100 && (await store.listAttempts(inv.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    // Another handle decides the claim is stale and gives it back.
    expect(await store.releaseClaims({ claimedBefore: new Date(clock.now().getTime() + 1) }, { instance: 'test-2', cause: 'expired' })).toEqual([inv.id]);
    release();
    // The slot's hook finds its claim gone and sends nothing; back in the queue, it is claimed anew.
    expect(await step).toEqual({ changed: 1, claimed: 2 });
    expect(sent).toBe(1);
    expect((await store.listAttempts(inv.id)).map((a) => a.outcome)).toEqual(['not-sent', 'accepted']);
    expect((await store.getInvoice(inv.id))?.status).toBe('processing');
  });

  it('does not give up on an upload the platform lists late: the grace counts from when its fate became unknown', async () => {
    await setUp();
    const company = await addCompany(store);
    const inv = await createInvoice(store, company.id);
    const xml = (await store.getInvoiceXml(inv.id))!;
    // Sent, then the process stopped; it comes back 25 minutes later (more than the grace).
    const [claim] = await store.claimForUpload(company.id, 'test', 1, clock.now(), { instance: 'test-1', cause: 'claim' });
    expect(await store.markAttemptSending(claim!.attempt.id, clock.now())).toBe(true);
    clock.advance(25 * 60_000);
    const ctx = context();
    expect(await markInterruptedAttempts(ctx)).toBe(1);
    // The platform lists the upload only now (its message list lags behind the upload).
    platform.take(xml, new Date(clock.now().getTime() - 500));

    let rc = await runReconcileStep(ctx, company);
    expect(rc).toMatchObject({ changed: 0, open: 1 });
    expect((await store.getInvoice(inv.id))?.status).toBe('uploading');
    expect(rc.nextDeadline!.getTime()).toBe(clock.now().getTime() + GRACE);

    clock.advance(2_000);
    rc = await runReconcileStep(ctx, company);
    expect(rc.changed).toBe(1);
    expect(await store.getInvoice(inv.id)).toMatchObject({ status: 'processing', uploadId: platform.messages[0]!.uploadId });
    expect((await store.listAttempts(inv.id)).map((a) => a.outcome)).toEqual(['reconciled']);
  });

  it('does not give up while a listed message could not be downloaded; asks a person only once nothing matches', async () => {
    await setUp();
    const company = await addCompany(store);
    const found = await createInvoice(store, company.id);
    const lost = await createInvoice(store, company.id);
    const claims = await store.claimForUpload(company.id, 'test', 2, clock.now(), { instance: 'test-1', cause: 'claim' });
    for (const c of claims) {
      await store.markAttemptSending(c.attempt.id, clock.now());
      await store.finishAttempt(c.attempt.id, 'uncertain', null, 'timeout', clock.now());
    }
    platform.take((await store.getInvoiceXml(found.id))!, clock.now());
    clock.advance(GRACE + 60_000);
    platform.failDownloads = 1;
    expect((await runReconcileStep(context(), company)).changed).toBe(0);
    expect((await store.getInvoice(found.id))?.status).toBe('uploading');
    expect((await store.getInvoice(lost.id))?.status).toBe('uploading');

    clock.advance(1_000);
    expect((await runReconcileStep(context(), company)).changed).toBe(2);
    expect((await store.getInvoice(found.id))?.status).toBe('processing');
    expect((await store.getInvoice(lost.id))?.status).toBe('needs-attention');
  });

  it("leaves reconciliation to the instance holding the company's list lease, and takes it over when that one stops", async () => {
    await setUp();
    const company = await addCompany(store);
    const inv = await takenWithoutAnswer(company.id);
    const lease = `list:${company.id}:test`;
    expect(await store.takeCompanyLease(lease, 'test-2', 60_000)).toBe(true);

    expect(await runReconcileStep(context(), company)).toMatchObject({ changed: 0, open: 1 });
    expect(platform.lists).toBe(0);
    expect((await store.getInvoice(inv.id))?.status).toBe('uploading');

    await store.releaseCompanyLease(lease, 'test-2');
    expect((await runReconcileStep(context(), company)).changed).toBe(1);
    expect(platform.lists).toBe(1);
    expect((await store.getInvoice(inv.id))?.status).toBe('processing');
  });

  it('forgets what it read of messages once ANAF no longer lists them (60 days), and only that', async () => {
    await setUp();
    const company = await addCompany(store);
    await store.setState('reconcile:test:m-old', '{}');
    await store.setState('reconcile-unread:test:m-old', '1');
    clock.advance(30 * 86_400_000);
    await store.setState('reconcile:test:m-recent', '{}');
    clock.advance(31 * 86_400_000 + 60_000);
    await takenWithoutAnswer(company.id);
    expect((await runReconcileStep(context(), company)).changed).toBe(1);
    expect(await store.getState('reconcile:test:m-old')).toBeNull();
    expect(await store.getState('reconcile-unread:test:m-old')).toBeNull();
    expect(await store.getState('reconcile:test:m-recent')).toBe('{}');
  });
});
