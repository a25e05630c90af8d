/**
 * The single way an invoice enters Efact, whatever the channel (folder, CLI, REST API, demo):
 * bounded safe parse → metadata → checks → durable store write. "Accepted" is only answered
 * after the store has committed (ARCHITECTURE rule 2).
 */
import { createHash } from 'node:crypto';
import { EfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice, InvoiceOrigin, UploadFlags } from '../../domain/invoice.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { normalizeCif } from '../../domain/cif.js';
import { readInvoiceMetadata } from '../../xml/invoice-metadata.js';
import { DEFAULT_MAX_XML_BYTES } from '../../xml/parse.js';
import type { ChangeCause, IntakeResult, Store } from '../../ports/store.js';
import { builtInValidator, verdictOf, type IntakeValidation, type ValidationVerdict } from './local-validation.js';
import type { ValidationResult } from '../../validation/run.js';

export interface IntakeRequest {
  /** CIF with or without RO. */
  companyCif: string;
  xml: Uint8Array;
  origin: InvoiceOrigin;
  /** Overrides the series / number read from the XML (sidecar files, path patterns). */
  series?: string;
  number?: string;
  flags?: UploadFlags;
  b2c?: boolean;
}

export interface IntakeDefaults {
  flags: UploadFlags;
  b2c: boolean;
}

export type IntakeOutcome = Exclude<IntakeResult, { kind: 'conflict' }>;

/**
 * How soon a correction that waits for ANAF's answer on the earlier file is worth trying again
 * (a hint: the folder intake retries this often, the API says it in Retry-After).
 */
export const VERDICT_RECHECK_MS = 5000;

/** Sent to ANAF, answer not known yet: NOK would let a correction replace it, OK would not. */
const AWAITING_VERDICT: readonly InvoiceStatus[] = ['uploading', 'processing'];

/**
 * Why a file for an invoice number that is already at the platform is not taken: for good when
 * ANAF accepted the earlier file, for now while its answer is pending.
 */
function conflictError(company: Company, existing: Invoice): EfactError {
  const details = { existingId: existing.id, status: existing.status, uploadId: existing.uploadId };
  const uploadId = existing.uploadId ? ` (upload id ${existing.uploadId})` : '';
  if (AWAITING_VERDICT.includes(existing.status)) {
    return new EfactError(
      'AWAITING_VERDICT',
      `invoice ${existing.invoiceId} of ${company.shortName} was sent to ANAF${uploadId} and its answer is not known yet; this file replaces it if ANAF answers NOK — send it again then (the export folder tries again by itself)`,
      { details, retryAt: new Date(Date.now() + VERDICT_RECHECK_MS) },
    );
  }
  return new EfactError(
    'CONFLICT',
    `invoice ${existing.invoiceId} of ${company.shortName} is already ${existing.status}${existing.uploadId ? ` at ANAF${uploadId}` : ''}; a correction must be a new invoice or a credit note`,
    { details },
  );
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class IntakeService {
  constructor(
    private readonly store: Store,
    private readonly instance: string,
    /** Per-company upload defaults from configuration (flags, b2c), by CIF. */
    private readonly defaults: (cif: string) => IntakeDefaults = () => ({ flags: {}, b2c: false }),
    /** Largest XML accepted, in bytes (channels check it before reading a file whole). */
    readonly maxBytes = DEFAULT_MAX_XML_BYTES,
    /** Local validation (EN 16931 + CIUS-RO) run once per accepted invoice; absent: none. */
    private readonly validation: IntakeValidation | null = null,
  ) {}

  async resolveCompany(cifInput: string): Promise<Company> {
    const cif = normalizeCif(cifInput);
    const company = cif === null ? null : await this.store.getCompanyByCif(cif);
    // A removed company takes nothing new; its stored invoices stay readable.
    if (!company || company.removedAt) {
      throw new EfactError('UNKNOWN_COMPANY', `no company with CIF ${cifInput} is configured`, {
        details: { cif: cifInput },
      });
    }
    return company;
  }

  /**
   * Accepts one invoice. Throws EfactError (invalid-input kinds) for malformed XML, DTDs,
   * oversize files, non-invoices, a supplier that is not the company, or a conflict with an
   * invoice already at the platform.
   */
  async submit(req: IntakeRequest, cause: Partial<ChangeCause> = {}): Promise<IntakeOutcome> {
    const company = await this.resolveCompany(req.companyCif);
    const metadata = readInvoiceMetadata(req.xml, { maxBytes: this.maxBytes });
    const defaults = this.defaults(company.cif);
    const flags = { ...defaults.flags, ...req.flags };
    // Self-billing: the buyer issues the invoice, so the company is the buyer, not the supplier.
    const ownCif = flags.autofactura ? metadata.buyerCif : metadata.supplierCif;
    if (ownCif !== null && ownCif !== company.cif) {
      throw new EfactError(
        'WRONG_SUPPLIER',
        `invoice ${metadata.invoiceId} names ${flags.autofactura ? 'buyer' : 'supplier'} CIF ${ownCif}, not company ${company.cif} (${company.shortName})`,
        { details: { invoiceCif: ownCif, companyCif: company.cif } },
      );
    }
    if (req.series !== undefined) metadata.series = req.series;
    if (req.number !== undefined) metadata.number = req.number;
    const verdict = this.validate(company.cif, req.xml);
    const result = await this.store.intake(
      {
        companyId: company.id,
        environment: company.environment,
        metadata,
        flags,
        b2c: req.b2c ?? defaults.b2c,
        xml: req.xml,
        contentHash: sha256Hex(req.xml),
        origin: req.origin,
        ...(verdict.rejected ? { rejected: true } : {}),
        ...(verdict.messages.length > 0 ? { messages: verdict.messages } : {}),
      },
      { instance: cause.instance ?? this.instance, cause: cause.cause ?? `intake:${req.origin.channel}`, ...(cause.details ? { details: cause.details } : {}) },
    );
    if (result.kind === 'conflict') throw conflictError(company, result.existing);
    return result;
  }

  /** Validates without storing (efact validate, POST …/validate), with the validator intake uses. */
  check(xml: Uint8Array): ValidationResult {
    return (this.validation?.validate ?? builtInValidator)(xml, this.maxBytes);
  }

  /** Validated once, when accepted: a fatal finding (company setting 'block') stores it `invalid`. */
  private validate(cif: string, xml: Uint8Array): ValidationVerdict {
    if (this.validation === null) return { rejected: false, messages: [] };
    const mode = this.validation.modeOf(cif);
    if (mode === 'off') return { rejected: false, messages: [] };
    return verdictOf(this.validation.validate(xml, this.maxBytes), mode);
  }
}
