/**
 * JSON schemas shared by the routes. They are registered once with `addSchema` and referenced as
 * `{ $ref: 'Invoice#' }`, so the OpenAPI document names them as components. They describe exactly
 * what serialize.ts produces: fastify's response serializer drops any property not listed here.
 */
import { ALL_STATUSES } from '../domain/invoice-status.js';
import { ENVIRONMENTS } from '../domain/company.js';
import { ENGINE_PHASES } from './serialize.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableDate = { type: ['string', 'null'], format: 'date-time' } as const;
const date = { type: 'string', format: 'date-time' } as const;
const statusEnum = { type: 'string', enum: [...ALL_STATUSES] } as const;

function object(properties: Record<string, unknown>, description?: string) {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    required: Object.keys(properties),
    properties,
  } as const;
}

export const ApiErrorSchema = {
  $id: 'ApiError',
  description: 'Every error answer. `code` is stable (EFACT_ERR_*); `message` is for people.',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'kind', 'message'],
      properties: {
        code: { type: 'string', pattern: '^EFACT_ERR_[A-Z_]+$' },
        kind: { type: 'string', enum: ['retryable', 'permanent', 'quota', 'auth', 'invalid-input'] },
        message: str,
        platformMessage: { type: 'string', description: "The platform's own message, verbatim" },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

export const InvoiceSchema = {
  $id: 'Invoice',
  ...object(
    {
      id: int,
      companyId: int,
      companyCif: nullableStr,
      environment: { type: 'string', enum: [...ENVIRONMENTS] },
      status: statusEnum,
      standard: { type: 'string', enum: ['UBL', 'CN', 'CII', 'RASP'] },
      series: str,
      number: str,
      invoiceId: { type: 'string', description: 'The invoice id as written in the XML (cbc:ID)' },
      issueDate: nullableStr,
      supplierCif: nullableStr,
      b2c: bool,
      flags: object({ extern: bool, autofactura: bool, executare: bool }),
      contentHash: { type: 'string', description: 'SHA-256 (hex) of the XML as received' },
      sizeBytes: int,
      origin: object({ channel: str, sourcePath: nullableStr, computer: nullableStr, user: nullableStr, branch: nullableStr }),
      uploadId: { type: ['string', 'null'], description: 'ANAF index_incarcare (opaque)' },
      uploadedAt: nullableDate,
      downloadId: { type: ['string', 'null'], description: 'ANAF id_descarcare (opaque)' },
      resolvedAt: nullableDate,
      downloadedAt: nullableDate,
      archived: { type: 'boolean', description: "Whether ANAF's answer ZIP is archived" },
      messages: {
        type: 'array',
        description: "ANAF's messages, and (source local) the findings of Efact's own validation with their rule, severity and place",
        items: {
          type: 'object',
          required: ['text', 'source'],
          properties: {
            text: str,
            source: { type: 'string', enum: ['upload', 'status', 'answer', 'local'] },
            ruleId: { type: 'string', description: 'local validation: the rule that failed, e.g. BR-RO-010' },
            severity: { type: 'string', enum: ['fatal', 'warning'] },
            location: { type: 'string', description: 'local validation: XPath of the element' },
            line: { type: 'integer', description: 'local validation: line in the XML (0 when unknown)' },
          },
        },
      },
      platformCalls: int,
      attempts: int,
      supersedesId: { type: ['integer', 'null'] },
      nextAttemptAt: nullableDate,
      lastError: nullableStr,
      createdAt: date,
      updatedAt: date,
    },
    'An outgoing invoice',
  ),
} as const;

export const InvoiceEventSchema = {
  $id: 'InvoiceEvent',
  ...object(
    {
      id: int,
      at: date,
      instance: str,
      fromStatus: { type: ['string', 'null'], enum: [...ALL_STATUSES, null] },
      toStatus: statusEnum,
      cause: str,
      details: { type: ['object', 'null'], additionalProperties: true },
    },
    'One append-only state change',
  ),
} as const;

export const UploadAttemptSchema = {
  $id: 'UploadAttempt',
  ...object(
    {
      id: int,
      instance: str,
      environment: { type: 'string', enum: [...ENVIRONMENTS] },
      startedAt: date,
      finishedAt: nullableDate,
      outcome: { type: 'string', enum: ['claimed', 'sending', 'accepted', 'refused', 'not-sent', 'uncertain', 'reconciled'] },
      uploadId: nullableStr,
      note: nullableStr,
    },
    'One upload attempt, written before the request left',
  ),
} as const;

export const EngineStateSchema = {
  $id: 'EngineState',
  ...object(
    {
      phase: { type: 'string', enum: [...ENGINE_PHASES] },
      sendingEnabled: bool,
      backoffUntil: nullableDate,
      quotaPausedUntil: nullableDate,
      lastPassAt: nullableDate,
      lastChangeAt: nullableDate,
      lastError: nullableStr,
    },
    "What the engine is doing for one company",
  ),
} as const;

export const CompanySchema = {
  $id: 'Company',
  ...object({
    id: int,
    cif: { type: 'string', description: 'Digits only, without RO' },
    shortName: str,
    name: str,
    environment: { type: 'string', enum: [...ENVIRONMENTS] },
    sendingEnabled: bool,
    exportFolder: { type: ['string', 'null'], description: 'Folder the ERP writes invoice XML into, watched by the server' },
    partitionFilter: { type: ['string', 'null'], description: "The manuals' FiltruSQL" },
    oauthProfile: { type: ['string', 'null'], description: 'Name of the OAuth profile whose ANAF tokens the company uses' },
    managedBy: {
      type: 'string',
      enum: ['config', 'store'],
      description: 'config: listed in the configuration file, changed only there; store: added through the CLI or the API',
    },
    removedAt: { type: ['string', 'null'], format: 'date-time', description: 'Set when removed (invoices and archive kept)' },
    counts: object(Object.fromEntries([...ALL_STATUSES, 'total'].map((s) => [s, int])), 'Invoices per status'),
    engine: {
      description: 'Null when the engine has not looked at this company yet',
      anyOf: [{ $ref: 'EngineState#' }, { type: 'null' }],
    },
  }),
} as const;

/** An invoice with its history: the Invoice fields plus `events` and `uploadAttempts`. */
export const InvoiceDetailSchema = {
  $id: 'InvoiceDetail',
  type: 'object',
  description: "An invoice (its `messages` are ANAF's) with every state change and upload attempt, oldest first",
  required: [...InvoiceSchema.required, 'events', 'uploadAttempts'],
  properties: {
    ...InvoiceSchema.properties,
    events: { type: 'array', items: { $ref: 'InvoiceEvent#' } },
    // Not `attempts`: that name is already the Invoice's attempt counter.
    uploadAttempts: { type: 'array', items: { $ref: 'UploadAttempt#' } },
  },
} as const;

export const SHARED_SCHEMAS = [
  ApiErrorSchema,
  InvoiceSchema,
  InvoiceDetailSchema,
  InvoiceEventSchema,
  UploadAttemptSchema,
  EngineStateSchema,
  CompanySchema,
] as const;

export const errorRef = { $ref: 'ApiError#' } as const;

/** The error answers a route may give, for its response schema (and so for OpenAPI). */
export function errorResponses(...codes: number[]): Record<number, { $ref: string }> {
  const out: Record<number, { $ref: string }> = {};
  for (const c of [...codes, 500]) out[c] = errorRef;
  return out;
}

/** `{cif}` in paths: with or without RO, as the manuals and ERPs write it. */
export const cifParam = {
  type: 'string',
  pattern: '^\\s*(?:[Rr][Oo])?\\s*\\d{2,10}\\s*$',
  description: 'Company CIF, with or without the RO prefix',
} as const;

export const invoiceIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Efact's invoice id" } },
} as const;

/** `{"confirm": true}`: the body of an action that sends invoices to ANAF again, said in `why`. */
export function confirmBody(why: string) {
  return {
    type: 'object',
    required: ['confirm'],
    properties: { confirm: { type: 'boolean', enum: [true], description: `Must be true: ${why}` } },
  } as const;
}
