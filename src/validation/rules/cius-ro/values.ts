/** The `let` values of RO16931-rules.sch (bundle 1.0.9). */
export const RO_MAJOR_MINOR_PATCH_VERSION = '1.0.1';
/** BT-24 as CIUS-RO requires it (BR-RO-001). */
export const RO_CIUS_ID = `urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:${RO_MAJOR_MINOR_PATCH_VERSION}`;
