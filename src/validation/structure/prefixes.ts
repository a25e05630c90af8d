/**
 * The prefixes the generated structure model writes names with (the Schematron ones where they
 * exist, plus udt for the data types). Shared by the generator and the run-time model.
 */
export const MODEL_PREFIXES: Record<string, string> = {
  ubl: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cn: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
  udt: 'urn:oasis:names:specification:ubl:schema:xsd:UnqualifiedDataTypes-2',
};
