/**
 * The sandbox platform's memory, one per environment: uploads with their pending verdicts,
 * the messages they produce, and ANAF's identifiers. Verdicts are computed at upload and
 * revealed when `processingDelayMs` has passed on the sandbox clock; `settle` reveals them
 * lazily, in time order, whenever anything looks at the state, so no timers are needed and a
 * ManualClock drives everything.
 */
import type { Environment } from '../../domain/company.js';
import type { InvoiceMetadata, UploadFlags, UploadStandard } from '../../domain/invoice.js';
import { errorDocument } from './responses.js';
import { PROCESSING, STATUS, TIP, type MessageTip } from './texts.js';

export const RETENTION_MS = 60 * 24 * 60 * 60 * 1000;
const FIRST_UPLOAD_INDEX = 5_001_120_000;
const FIRST_MESSAGE_ID = 3_001_470_000;

/** What the platform will make of an upload once processing ends. */
export type Verdict =
  | { kind: 'invoice'; errors: string[] }
  | { kind: 'unprocessable'; reason: string }
  | { kind: 'buyer-message'; invoiceIndex: string; message: string };

export type UploadState = 'processing' | 'ok' | 'nok' | 'rejected';

export interface UploadRecord {
  environment: Environment;
  /** index_incarcare */
  index: string;
  /** The `cif` query parameter (who filed it). */
  cif: string;
  standard: UploadStandard;
  b2c: boolean;
  flags: UploadFlags;
  receivedAt: Date;
  /** Sandbox-clock milliseconds at which the verdict becomes visible. */
  decideAt: number;
  bytes: Uint8Array;
  meta: InvoiceMetadata | null;
  verdict: Verdict;
  state: UploadState;
  /** id_descarcare, once ok / nok. */
  downloadId: string | null;
  decidedAt: Date | null;
  /** The error document's messages, for nok. */
  errors: string[];
}

/** How one CIF sees a message in its lists. */
export interface MessageView {
  cif: string;
  tip: MessageTip;
  detalii: string;
}

export interface MessageRecord {
  environment: Environment;
  /** id, what `descarcare` takes. */
  id: string;
  /** id_solicitare: the upload index this message answers. */
  uploadIndex: string;
  createdAt: number;
  views: MessageView[];
  /** The `<id>.xml` of the answer ZIP. */
  content: Uint8Array;
}

/** One entry of listaMesajeFactura, every field a string as ANAF sends them. */
export interface ListEntry {
  data_creare: string;
  cif: string;
  id_solicitare: string;
  detalii: string;
  tip: string;
  id: string;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

class EnvironmentState {
  readonly uploads = new Map<string, UploadRecord>();
  readonly messages = new Map<string, MessageRecord>();
  /** What each CIF sees, in insertion order (lists read only their CIF's share). */
  readonly inbox = new Map<string, Array<{ message: MessageRecord; view: MessageView }>>();
  /** Accepted invoices by supplier CIF + invoice id → first OK index (duplicate detection). */
  readonly accepted = new Map<string, string>();
  nextIndex = FIRST_UPLOAD_INDEX;
  nextMessageId = FIRST_MESSAGE_ID;
  /** Uploads still in processing, kept sorted by decideAt so settling takes a prefix. */
  pending: UploadRecord[] = [];
}

/** Inserts keeping `pending` sorted by (decideAt, index); usually an append. */
function insertPending(pending: UploadRecord[], record: UploadRecord): void {
  let i = pending.length;
  while (i > 0 && pending[i - 1]!.decideAt > record.decideAt) i--;
  pending.splice(i, 0, record);
}

export interface NewUpload {
  environment: Environment;
  cif: string;
  standard: UploadStandard;
  b2c: boolean;
  flags: UploadFlags;
  bytes: Uint8Array;
  meta: InvoiceMetadata | null;
  verdict: Verdict;
  receivedAt: Date;
  decideAt: number;
}

export class PlatformState {
  private readonly envs: Record<Environment, EnvironmentState> = {
    test: new EnvironmentState(),
    prod: new EnvironmentState(),
  };

  private env(environment: Environment): EnvironmentState {
    return this.envs[environment];
  }

  /** Takes an upload in and gives it its index_incarcare. */
  addUpload(input: NewUpload): UploadRecord {
    const env = this.env(input.environment);
    const record: UploadRecord = {
      ...input,
      index: String(env.nextIndex++),
      state: 'processing',
      downloadId: null,
      decidedAt: null,
      errors: [],
    };
    env.uploads.set(record.index, record);
    insertPending(env.pending, record);
    return record;
  }

  upload(environment: Environment, index: string): UploadRecord | undefined {
    return this.env(environment).uploads.get(index);
  }

  uploads(environment: Environment): UploadRecord[] {
    return [...this.env(environment).uploads.values()];
  }

  message(environment: Environment, id: string): MessageRecord | undefined {
    return this.env(environment).messages.get(id);
  }

  messages(environment: Environment): MessageRecord[] {
    return [...this.env(environment).messages.values()];
  }

  /** Adds a message that did not come from an upload here (an incoming invoice from another taxpayer). */
  addMessage(environment: Environment, uploadIndex: string, createdAt: number, views: MessageView[], content: Uint8Array): MessageRecord {
    const env = this.env(environment);
    const record: MessageRecord = { environment, id: String(env.nextMessageId++), uploadIndex, createdAt, views, content };
    env.messages.set(record.id, record);
    for (const view of views) {
      const list = env.inbox.get(view.cif) ?? [];
      list.push({ message: record, view });
      env.inbox.set(view.cif, list);
    }
    return record;
  }

  /** Reserves an upload index for an invoice filed by someone outside the sandbox's callers. */
  reserveIndex(environment: Environment): string {
    return String(this.env(environment).nextIndex++);
  }

  /** Reveals every verdict whose time has come, in time order. */
  settle(nowMs: number): void {
    for (const environment of ['test', 'prod'] as const) {
      const env = this.env(environment);
      let n = 0;
      while (n < env.pending.length && env.pending[n]!.decideAt <= nowMs) n++;
      if (n === 0) continue;
      const due = env.pending.splice(0, n);
      for (const upload of due) this.decide(env, upload);
    }
  }

  private decide(env: EnvironmentState, upload: UploadRecord): void {
    upload.decidedAt = new Date(upload.decideAt);
    const verdict = upload.verdict;
    if (verdict.kind === 'unprocessable') {
      upload.state = 'rejected';
      return;
    }
    if (verdict.kind === 'buyer-message') {
      this.decideBuyerMessage(env, upload, verdict.invoiceIndex);
      return;
    }
    let errors = verdict.errors;
    const meta = upload.meta;
    const key = meta ? JSON.stringify([meta.supplierCif, meta.invoiceId]) : null;
    const previous = key === null ? undefined : env.accepted.get(key);
    if (errors.length === 0 && previous !== undefined) errors = [PROCESSING.duplicate(previous)];
    if (errors.length > 0) {
      this.fail(upload, errors);
      return;
    }
    if (key !== null) env.accepted.set(key, upload.index);
    upload.state = 'ok';
    upload.downloadId = this.addMessage(upload.environment, upload.index, upload.decideAt, this.invoiceViews(upload), upload.bytes).id;
  }

  private invoiceViews(upload: UploadRecord): MessageView[] {
    const meta = upload.meta;
    const supplier = meta?.supplierCif ?? upload.cif;
    const buyer = meta?.buyerCif ?? null;
    if (upload.flags.autofactura) {
      const details = PROCESSING.selfBilledDetails(upload.index, upload.cif, supplier);
      const views: MessageView[] = [{ cif: upload.cif, tip: TIP.sent, detalii: details }];
      if (supplier !== upload.cif) views.push({ cif: supplier, tip: TIP.received, detalii: details });
      return views;
    }
    // NOTE: a consumer (b2c) may have no CUI; the sandbox writes the thirteen zeros that stand
    // for "no identifier" in Romanian B2C practice, so the detalii keep ANAF's shape.
    const details = PROCESSING.sentDetails(upload.index, upload.cif, buyer ?? '0000000000000');
    const views: MessageView[] = [{ cif: upload.cif, tip: TIP.sent, detalii: details }];
    // A consumer (b2c) or a foreign buyer (extern) has no SPV inbox to receive it.
    if (!upload.b2c && !upload.flags.extern && buyer !== null && buyer !== upload.cif) {
      views.push({ cif: buyer, tip: TIP.received, detalii: details });
    }
    return views;
  }

  private fail(upload: UploadRecord, errors: string[]): void {
    upload.state = 'nok';
    upload.errors = errors;
    const doc = utf8(errorDocument(upload.index, upload.cif, errors));
    const views: MessageView[] = [{ cif: upload.cif, tip: TIP.errors, detalii: PROCESSING.errorDetails(upload.index) }];
    upload.downloadId = this.addMessage(upload.environment, upload.index, upload.decideAt, views, doc).id;
  }

  private decideBuyerMessage(env: EnvironmentState, upload: UploadRecord, invoiceIndex: string): void {
    const invoice = env.uploads.get(invoiceIndex);
    if (!invoice || invoice.state !== 'ok') {
      this.fail(upload, [STATUS.unknown(invoiceIndex)]);
      return;
    }
    if (![invoice.cif, invoice.meta?.buyerCif, invoice.meta?.supplierCif].includes(upload.cif)) {
      this.fail(upload, [STATUS.noRights(invoiceIndex)]);
      return;
    }
    const other = [invoice.cif, invoice.meta?.buyerCif].find((c): c is string => !!c && c !== upload.cif);
    const views: MessageView[] = [
      { cif: upload.cif, tip: TIP.buyerMessageSent, detalii: PROCESSING.buyerMessageSentDetails(upload.index, invoiceIndex, upload.cif) },
    ];
    if (other) {
      views.push({
        cif: other,
        tip: TIP.buyerMessageReceived,
        detalii: PROCESSING.buyerMessageReceivedDetails(upload.index, invoiceIndex, upload.cif),
      });
    }
    upload.state = 'ok';
    upload.downloadId = this.addMessage(upload.environment, upload.index, upload.decideAt, views, upload.bytes).id;
  }

  /**
   * Messages a CIF sees with createdAt in [fromMs, toMs], newest first (ties: highest id
   * first, as ANAF's examples list them), retention applied.
   */
  listFor(environment: Environment, cif: string, fromMs: number, toMs: number, tips: readonly MessageTip[] | null, nowMs: number): Array<{ message: MessageRecord; view: MessageView }> {
    const out = (this.env(environment).inbox.get(cif) ?? []).filter(
      ({ message, view }) =>
        message.createdAt >= fromMs &&
        message.createdAt <= toMs &&
        !isExpired(message, nowMs) &&
        (tips === null || tips.includes(view.tip)),
    );
    return out.sort((a, b) => b.message.createdAt - a.message.createdAt || Number(b.message.id) - Number(a.message.id));
  }

  /** Forgets everything (ids start again). */
  clear(): void {
    this.envs.test = new EnvironmentState();
    this.envs.prod = new EnvironmentState();
  }
}

export function isExpired(message: MessageRecord, nowMs: number): boolean {
  return nowMs - message.createdAt > RETENTION_MS;
}
