import type { Environment } from '../domain/company.js';
import type { UploadFlags, UploadStandard } from '../domain/invoice.js';

/** Every ANAF endpoint Efact calls; the ledger and the rate governor key on these names. */
export type AnafEndpoint =
  | 'upload'
  | 'uploadb2c'
  | 'stareMesaj'
  | 'descarcare'
  | 'listaMesajeFactura'
  | 'listaMesajePaginatieFactura'
  | 'validare'
  | 'transformare'
  | 'validateSignature';

/** Who a call is made for: the ledger records it, the governor counts it. */
export interface CallContext {
  environment: Environment;
  /** CIF (digits) the call is made for. */
  companyCif: string;
  /** Efact's invoice id, when the call concerns one invoice. */
  invoiceId?: number;
}

export interface UploadRequest {
  context: CallContext;
  xml: Uint8Array;
  standard: UploadStandard;
  flags?: UploadFlags;
  /** true → `uploadb2c` */
  b2c?: boolean;
  /**
   * Awaited after every wait (token, rate governor) and right before the request leaves; if it
   * throws, nothing is sent and the error is passed on as it is. The engine writes the upload's
   * write-ahead record here, so waiting on the governor never counts as "maybe sent".
   */
  beforeSend?: () => Promise<void>;
}

export interface UploadReceipt {
  /** ANAF `index_incarcare`, verbatim. */
  uploadId: string;
  /** ANAF `dateResponse` (yyyyMMddHHmm, Romanian time) converted to an instant, when present. */
  respondedAt: Date | null;
}

/** The answer of `stareMesaj`. */
export type UploadState =
  | { state: 'processing' }
  | { state: 'ok'; downloadId: string }
  | { state: 'nok'; downloadId: string }
  /** "XML cu erori nepreluat de sistem": never entered processing; there is nothing to download. */
  | { state: 'rejected'; message: string };

/** Kinds of entries in the message lists (`tip`). */
export type MessageKind =
  | 'invoice-sent' // FACTURA TRIMISA
  | 'invoice-received' // FACTURA PRIMITA
  | 'invoice-errors' // ERORI FACTURA
  | 'buyer-message-received' // MESAJ CUMPARATOR PRIMIT
  | 'buyer-message-sent' // MESAJ CUMPARATOR TRANSMIS
  | 'other';

export interface MessageListEntry {
  /** What `descarcare` takes. Reported missing on some entries: then null. */
  id: string | null;
  /** `id_solicitare`: the upload index of the invoice this message answers. */
  uploadId: string;
  cif: string;
  kind: MessageKind;
  /** `tip` verbatim. */
  rawType: string;
  /** `detalii` verbatim. */
  details: string;
  /** `data_creare` (yyyyMMddHHmm, Romanian time) as an instant. */
  createdAt: Date | null;
  /** Parsed from `detalii` where the format allows. */
  issuerCif?: string;
  receiverCif?: string;
  selfBilled?: boolean;
}

/** `listaMesajeFactura` filter: E errors, T sent, P received, R buyer messages. */
export type MessageFilter = 'E' | 'T' | 'P' | 'R';

export interface ListMessagesRequest {
  context: CallContext;
  /** 1..60 */
  days: number;
  filter?: MessageFilter;
}

export interface ListMessagesPagedRequest {
  context: CallContext;
  start: Date;
  end: Date;
  filter?: MessageFilter;
}

export interface DownloadRequest {
  context: CallContext;
  downloadId: string;
}

export interface ValidationAnswer {
  ok: boolean;
  messages: string[];
  traceId: string | null;
}

export interface SignatureAnswer {
  valid: boolean;
  /** ANAF's own text. */
  message: string;
}

/**
 * The ANAF RO e-Factura connector. Every method goes through the rate governor and is
 * written to the call ledger; every failure is an EfactError of the right kind.
 */
export interface AnafConnector {
  upload(req: UploadRequest): Promise<UploadReceipt>;
  status(req: { context: CallContext; uploadId: string }): Promise<UploadState>;
  /** The simple list (≤ 500 results). "Nu exista mesaje ..." is an empty list. */
  listMessages(req: ListMessagesRequest): Promise<MessageListEntry[]>;
  /** The paginated list, every page fetched. */
  listMessagesPaged(req: ListMessagesPagedRequest): Promise<MessageListEntry[]>;
  /** The ZIP bytes exactly as received; never decoded as text. */
  download(req: DownloadRequest): Promise<Uint8Array>;
  validate(req: { context: CallContext; xml: Uint8Array; standard: 'FACT1' | 'FCN' }): Promise<ValidationAnswer>;
  /** PDF bytes; a validation failure is an EfactError (PLATFORM_REFUSED) carrying ANAF's messages. */
  toPdf(req: { context: CallContext; xml: Uint8Array; standard: 'FACT1' | 'FCN'; validate?: boolean }): Promise<Uint8Array>;
  verifySignature(req: { context: CallContext; xml: Uint8Array; signature: Uint8Array }): Promise<SignatureAnswer>;
}
