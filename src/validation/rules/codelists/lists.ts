/**
 * Code lists as ANAF's bundle 1.0.9 spells them (codelist/EN16931-UBL-codes.sch). A new ANAF
 * release that changes a list is a change to this file only.
 */

/** UNTDID 1001, document types allowed for an Invoice (BR-CL-01). */
export const UNTDID_1001_INVOICE = codes(
  '71 80 81 82 84 102 130 202 203 204 211 218 219 295 325 326 331 380 382 383 384 385 386 387 388 389 390 393 394 395 456 457 527 553 575 623 633 751 780 817 870 875 876 877 935',
);

/** UNTDID 1001, document types allowed for a CreditNote (BR-CL-01). */
export const UNTDID_1001_CREDIT_NOTE = codes('81 83 261 262 296 308 381 396 420 458 532');

function codes(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((c) => c !== ''));
}

/**
 * The Schematron idiom `not(contains(normalize-space(.), ' ')) and contains(' A B C ', concat(' ', normalize-space(.), ' '))`:
 * the trimmed value is one whole code of the list.
 */
export function inList(list: ReadonlySet<string>, value: string): boolean {
  const v = value.replace(/[ \t\r\n]+/g, ' ').trim();
  return !v.includes(' ') && list.has(v);
}
