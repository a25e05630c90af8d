/**
 * The address tests CIUS-RO repeats for seller, buyer, tax representative and delivery address:
 * Bucharest (RO-B) cities are sectors (BR-RO-100/101/160/202), Romanian subdivisions are ISO
 * 3166-2:RO codes (BR-RO-110/111/170/212). Both are Schematron <report>s: the finding is raised
 * when the condition holds, so these return true when the invoice passes.
 */
import type { XElement } from '../../model/document.js';
import { ISO_3166_RO_CODES, SECTOR_RO_CODES } from './values.js';
import { normalized } from './xpath.js';

/** Where the seller's and buyer's addresses are, from the document root. */
export const address = {
  seller: 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress',
  buyer: 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress',
} as const;

const at = (prefix: string, path: string): string => (prefix === '' ? path : `${prefix}/${path}`);

/** not(normalize-space(Country/IdentificationCode) = 'RO' and normalize-space(CountrySubentity) = 'RO-B' and not(normalize-space(CityName) = $SECTOR-RO-CODES)) */
export function bucharestCityIsSector(el: XElement, address: string): boolean {
  return !(
    normalized(el, at(address, 'cac:Country/cbc:IdentificationCode')) === 'RO' &&
    normalized(el, at(address, 'cbc:CountrySubentity')) === 'RO-B' &&
    !SECTOR_RO_CODES.has(normalized(el, at(address, 'cbc:CityName')))
  );
}

/** not(normalize-space(Country/IdentificationCode) = 'RO' and not(normalize-space(CountrySubentity) = $ISO-3166-RO-CODES)) */
export function romanianSubdivisionIsCoded(el: XElement, address: string): boolean {
  return !(
    normalized(el, at(address, 'cac:Country/cbc:IdentificationCode')) === 'RO' &&
    !ISO_3166_RO_CODES.has(normalized(el, at(address, 'cbc:CountrySubentity')))
  );
}
