/**
 * How the sandbox decides ok / nok. The default is the platform's own checks (CUI, buyer
 * identifier) in ANAF's message shapes, plus every fatal finding of the validator Efact itself
 * uses (validation/: EN 16931 + CIUS-RO), so a NOK lists the Schematron messages ANAF would;
 * a test replaces it through the `decide` option.
 * The checks of who may file what (the `cif` parameter against the invoice) are the
 * platform's own and stay in the sandbox whatever `decide` says.
 */
import { isValidCif, normalizeCif } from '../../domain/cif.js';
import type { InvoiceMetadata, UploadFlags, UploadStandard } from '../../domain/invoice.js';
import { child, textAt, type XmlElement } from '../../xml/parse.js';
import { CIUS_RO_CUSTOMIZATION_ID } from '../../xml/invoice-metadata.js';
import { validateInvoice } from '../../validation/run.js';

export type SandboxDecision = { ok: true } | { ok: false; errors: string[] };

export interface DecisionContext {
  root: XmlElement;
  standard: UploadStandard;
  /** Sent to `uploadb2c` (buyer is a consumer). */
  b2c: boolean;
  flags: UploadFlags;
  /** The `cif` query parameter of the upload; absent for validare / transformare. */
  cif?: string;
}

export type DecideFn = (
  xml: Uint8Array,
  meta: InvoiceMetadata,
  context: DecisionContext,
) => SandboxDecision | Promise<SandboxDecision>;

// NOTE: ANAF prefixes Schematron failures with "E: validari globale  SCHEMATRON   eroare: " (two
// and three spaces) and joins the Romanian and English halves of a rule with five spaces.
export function schematronMessage(ruleText: string): string {
  return `E: validari globale  SCHEMATRON   eroare: ${ruleText}`;
}

/** ANAF's "section path" messages: `E: AccountingSupplierParty (1) sectiune Party (1) ... eroare regula: ...`. */
export function sectionMessage(path: readonly string[], rule: string): string {
  return `E: ${path.map((p) => `${p} (1)`).join(' sectiune ')}  eroare regula: ${rule}`;
}

const BR_RO_001 =
  '[BR-RO-001]-Identificatorul specificatie (BT-24) trebuie sa corespunda sintactic cu valoarea precizata in ' +
  'Specificatii tehnice și de utilizare a elementelor de baza ale facturii electronice - RO_CIUS - și a regulilor ' +
  'operationale specifice aplicabile la nivel national.     #The specification identifier (BT-24) must syntactically ' +
  'correspond to the value specified in the Technical and Usage Specifications of the basic elements of the electronic ' +
  'invoice - RO_CIUS - and the specific operational rules applicable at national level' +
  `(${CIUS_RO_CUSTOMIZATION_ID}).`;

const BR_RO_065 =
  '[BR-RO-065]-Identificatorul de înregistrare fiscala a Vanzatorului (BT-32) si/sau Identificatorul de TVA al ' +
  'Vanzatorului (BT-31) si/sau Identificatorul de TVA al reprezentantului fiscal al Vanzatorului (BT-63) trebuie sa fie ' +
  'înscris.     #The Seller tax registration identifier (BT-32) and/or the Seller VAT identifier (BT-31) and/or the ' +
  'Seller tax representative VAT identifier (BT-63) shall be present.';

const BR_RO_120 =
  '[BR-RO-120]-Identificatorul de înregistrare legala a Cumparatorului (BT-47) si/sau Identificatorul de TVA al ' +
  'Cumparatorului (BT-48) trebuie sa fie înscris.     #The Buyer legal registration identifier (BT-47) and/or the Buyer ' +
  'VAT identifier (BT-48) shall be present.';

const SUPPLIER_TAX_ID = ['AccountingSupplierParty', 'Party', 'PartyTaxScheme', 'CompanyID'];
const BUYER_TAX_ID = ['AccountingCustomerParty', 'Party', 'PartyTaxScheme', 'CompanyID'];

/** The R_BT_32 CUI check, as in ANAF's validation example (trailing space included). */
export function supplierCuiMessage(cui: string): string {
  return sectionMessage(SUPPLIER_TAX_ID, `R_BT_32_cui: Cui vanzator incorect / validare CUI (${cui}) `);
}

function partyCompanyIds(root: XmlElement, partyName: string): string[] {
  const party = child(child(root, partyName), 'Party');
  return [textAt(party, 'PartyTaxScheme', 'CompanyID'), textAt(party, 'PartyLegalEntity', 'CompanyID')].filter(
    (v): v is string => v !== null,
  );
}

/** The sandbox's stand-in for ANAF's validation: its own checks, then the validator's fatal findings. */
export const defaultDecide: DecideFn = (xml, meta, context) => {
  const errors = platformChecks(xml, meta, context);
  if (context.standard === 'UBL' || context.standard === 'CN') {
    for (const text of validatorErrors(xml)) {
      // A rule the platform's own checks already reported (in their section shape) is not repeated.
      const id = /^\[([^\]]+)\]/.exec(text)?.[1];
      if (id !== undefined && errors.some((e) => e.includes(`[${id}]`))) continue;
      errors.push(schematronMessage(text));
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
};

/** The fatal findings' messages (ANAF's texts); none when the validator cannot read the file. */
function validatorErrors(xml: Uint8Array): string[] {
  try {
    return validateInvoice(xml)
      .findings.filter((f) => f.severity === 'fatal')
      .map((f) => (f.message.startsWith('[') ? f.message : `[${f.ruleId}]-${f.message}`));
  } catch {
    return [];
  }
}

/** The handful of checks the sandbox made before it had the validator: the platform's message shapes. */
export function platformChecks(_xml: Uint8Array, meta: InvoiceMetadata, context: DecisionContext): string[] {
  const errors: string[] = [];
  if (meta.customizationId !== CIUS_RO_CUSTOMIZATION_ID) errors.push(schematronMessage(BR_RO_001));
  const ubl = context.standard === 'UBL' || context.standard === 'CN';
  if (ubl && !context.b2c && partyCompanyIds(context.root, 'AccountingCustomerParty').length === 0) {
    errors.push(sectionMessage(BUYER_TAX_ID, BR_RO_120));
  } else if (!ubl && !context.b2c && meta.buyerCif === null) {
    errors.push(schematronMessage(BR_RO_120));
  }
  if (meta.supplierCif !== null) {
    if (!isValidCif(meta.supplierCif)) errors.push(supplierCuiMessage(meta.supplierCif));
  } else {
    const raw = ubl ? partyCompanyIds(context.root, 'AccountingSupplierParty')[0] : undefined;
    errors.push(raw === undefined ? schematronMessage(BR_RO_065) : supplierCuiMessage(raw.replace(/^RO/i, '')));
  }
  return errors;
}

/**
 * The platform's check that the uploader files for itself: the `cif` parameter must be the
 * supplier's CIF (for self-billing, the buyer's).
 */
export function filerMismatch(meta: InvoiceMetadata, cif: string, flags: UploadFlags): string | null {
  const selfBilled = flags.autofactura === true;
  const expected = selfBilled ? meta.buyerCif : meta.supplierCif;
  if (expected !== null && normalizeCif(expected) === cif) return null;
  // NOTE: ANAF answers a CIF that does not match the invoice in processing (an error document),
  // not at upload; its exact wording is not in the reference, this follows its CUI-check shape.
  const role = selfBilled ? 'cumparator' : 'vanzator';
  const path = selfBilled ? BUYER_TAX_ID : SUPPLIER_TAX_ID;
  return sectionMessage(path, `R_BT_32_cui: Cui ${role} (${expected ?? ''}) diferit de CIF-ul din request (${cif}) `);
}
