/** The `let` values of RO16931-rules.sch (bundle 1.0.9), as data. */
export const RO_MAJOR_MINOR_PATCH_VERSION = '1.0.1';
/** BT-24 as CIUS-RO requires it (BR-RO-001). */
export const RO_CIUS_ID = `urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:${RO_MAJOR_MINOR_PATCH_VERSION}`;

/** $RO-EMAIL-REGEX (declared by the .sch; no rule of 1.0.9 uses it). */
export const RO_EMAIL_REGEX = '^[0-9a-zA-Z]([0-9a-zA-Z\\.]*)[^\\.\\s@]@[^\\.\\s@]([0-9a-zA-Z\\.]*)[0-9a-zA-Z]$';
/** $RO-TELEPHONE-REGEX (declared by the .sch; no rule of 1.0.9 uses it). */
export const RO_TELEPHONE_REGEX = '.*([0-9].*){3,}.*';

/** $ISO-3166-RO-CODES: the counties of Romania and Bucharest (RO-B), ISO 3166-2:RO. */
export const ISO_3166_RO_CODES: ReadonlySet<string> = new Set([
  'RO-AB', 'RO-AG', 'RO-AR', 'RO-B', 'RO-BC', 'RO-BH', 'RO-BN', 'RO-BR', 'RO-BT', 'RO-BV', 'RO-BZ',
  'RO-CJ', 'RO-CL', 'RO-CS', 'RO-CT', 'RO-CV', 'RO-DB', 'RO-DJ', 'RO-GJ', 'RO-GL', 'RO-GR', 'RO-HD',
  'RO-HR', 'RO-IF', 'RO-IL', 'RO-IS', 'RO-MH', 'RO-MM', 'RO-MS', 'RO-NT', 'RO-OT', 'RO-PH', 'RO-SB',
  'RO-SJ', 'RO-SM', 'RO-SV', 'RO-TL', 'RO-TM', 'RO-TR', 'RO-VL', 'RO-VN', 'RO-VS',
]);

/** $SECTOR-RO-CODES: the city of an address in Bucharest (RO-B) is its sector. */
export const SECTOR_RO_CODES: ReadonlySet<string> = new Set(['SECTOR1', 'SECTOR2', 'SECTOR3', 'SECTOR4', 'SECTOR5', 'SECTOR6']);

/** VAT category codes for which BR-RO-065 / BR-RO-120 require the seller's / buyer's identifiers. */
export const VAT_CATEGORIES_NEEDING_IDS: ReadonlySet<string> = new Set(['S', 'Z', 'E', 'AE', 'K', 'G', 'L', 'M']);
