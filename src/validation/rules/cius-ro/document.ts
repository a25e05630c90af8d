/** CIUS-RO rules on the document as a whole (context `/ubl:Invoice | /cn:CreditNote`, ROmodel 1018). */
import { rule } from '../../registry.js';
import type { XElement } from '../../model/document.js';
import { anyEquals, childrenNamed, elementOf, exists, select, stringValue } from '../../model/navigate.js';
import { RO_ROOT } from '../contexts.js';
import { address, bucharestCityIsSector, romanianSubdivisionIsCoded } from './address.js';
import { DOCUMENT_LENGTHS } from './lengths.js';
import { RO_CIUS_ID, VAT_CATEGORIES_NEEDING_IDS } from './values.js';
import { lengthAsserts, normalized, someNotBlank } from './xpath.js';

const SELLER = address.seller;
const BUYER = address.buyer;

/**
 * The first half of BR-RO-065 / BR-RO-120: a document level allowance (with a VAT tax scheme after
 * the category id), a document level charge, or an invoice line (not a credit note line: ANAF's
 * text names cac:InvoiceLine only) has a VAT category among S, Z, E, AE, K, G, L, M.
 */
function vatCategoryNeedsIdentifiers(root: XElement): boolean {
  for (const ac of childrenNamed(root, 'cac:AllowanceCharge')) {
    const allowance = anyEquals(ac, 'cbc:ChargeIndicator', 'false');
    const charge = anyEquals(ac, 'cbc:ChargeIndicator', 'true');
    if (!allowance && !charge) continue;
    for (const tc of childrenNamed(ac, 'cac:TaxCategory')) {
      const kids = tc.children;
      for (let i = 0; i < kids.length; i++) {
        const id = kids[i]!;
        if (id.local !== 'ID' || id.clark !== ID_CLARK || !VAT_CATEGORIES_NEEDING_IDS.has(stringValue(id))) continue;
        if (charge) return true;
        // following-sibling::cac:TaxScheme/cbc:ID = 'VAT'
        for (let j = i + 1; j < kids.length; j++) {
          if (kids[j]!.clark === TAX_SCHEME_CLARK && anyEquals(kids[j], 'cbc:ID', 'VAT')) return true;
        }
      }
    }
  }
  return select(root, 'cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID').some((id) =>
    VAT_CATEGORIES_NEEDING_IDS.has(stringValue(id)),
  );
}
const ID_CLARK = '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID';
const TAX_SCHEME_CLARK = '{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}TaxScheme';

export default [
  rule({
    ...RO_ROOT,
    asserts: [
      {
        id: 'BR-RO-001',
        flag: 'fatal',
        message: `[BR-RO-001]-Identificatorul specificatie (BT-24) trebuie sa corespunda sintactic cu valoarea precizata in Specificatii tehnice și de utilizare a elementelor de baza ale facturii electronice - RO_CIUS - și a regulilor operationale specifice aplicabile la nivel national.
							#The specification identifier (BT-24) must syntactically correspond to the value specified in the Technical and Usage Specifications of the basic elements of the electronic invoice - RO_CIUS - and the specific operational rules applicable at national level(${RO_CIUS_ID}).`,
        test: (n) => anyEquals(elementOf(n), 'cbc:CustomizationID', RO_CIUS_ID),
      },
      {
        id: 'BR-RO-A020',
        flag: 'fatal',
        message:
          '[BR-RO-A020]-O factura trebuie sa contina maximum 20 de aparitii ale grupului Comentariu in factura (BG-1). #The allowed maximum number of occurences of Invoice note (BG-1) is 20.',
        test: (n) => childrenNamed(elementOf(n), 'cbc:Note').length <= 20,
      },
      ...lengthAsserts(DOCUMENT_LENGTHS),
      {
        id: 'BR-RO-010',
        flag: 'fatal',
        message:
          '[BR-RO-010]-Numarul facturii (BT-1) trebuie sa includa cel putin un caracter numeric (0—9). #Invoice number (BT-1) must include at least one numeric character (0-9).',
        test: (n) => /[0-9]/.test(normalized(elementOf(n), 'cbc:ID')),
      },
      {
        id: 'BR-RO-030',
        flag: 'fatal',
        message:
          '[BR-RO-030]-Daca Codul monedei facturii (BT-5) este altul decat RON, atunci Codul monedei de contabilizare a TVA (BT-6) trebuie sa fie RON. #If the Invoice currency code (BT-5) is other than RON, then the VAT accounting currency code(BT-6) must be RON.',
        // The .sch spells out four cases; together they say: BT-6 is RON or BT-5 is RON.
        test: (n) =>
          normalized(elementOf(n), 'cbc:TaxCurrencyCode') === 'RON' || normalized(elementOf(n), 'cbc:DocumentCurrencyCode') === 'RON',
      },
      {
        id: 'BR-RO-065',
        flag: 'fatal',
        message:
          '[BR-RO-065]-Identificatorul de înregistrare fiscala a Vanzatorului (BT-32) si/sau Identificatorul de TVA al Vanzatorului (BT-31) si/sau Identificatorul de TVA al reprezentantului fiscal al Vanzatorului (BT-63) trebuie sa fie înscris. #The Seller tax registration identifier (BT-32) and/or the Seller VAT identifier (BT-31) and/or the Seller tax representative VAT identifier (BT-63) shall be present.',
        test: (n) => {
          const root = elementOf(n);
          return (
            !vatCategoryNeedsIdentifiers(root) ||
            exists(root, 'cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:CompanyID') ||
            someNotBlank(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID')
          );
        },
      },
      {
        id: 'BR-RO-081',
        flag: 'fatal',
        message: '[BR-RO-080]-Adresa Vanzatorului - Linia 1 (BT-35) trebuie furnizata. #Seller address line 1(BT-35) must be provided.',
        test: (n) => someNotBlank(elementOf(n), `${SELLER}/cbc:StreetName`),
      },
      {
        id: 'BR-RO-082',
        flag: 'fatal',
        message: '[BR-RO-080]-Adresa Cumparatorului - Linia 1 (BT-50) trebuie furnizata. #Buyer address line 1(BT-50) must be provided.',
        test: (n) => someNotBlank(elementOf(n), `${BUYER}/cbc:StreetName`),
      },
      {
        id: 'BR-RO-091',
        flag: 'fatal',
        message: '[BR-RO-090]-Localitatea Vanzatorului (BT-37) trebuie furnizata. #Seller city(BT-37) must be provided.',
        test: (n) => someNotBlank(elementOf(n), `${SELLER}/cbc:CityName`),
      },
      {
        id: 'BR-RO-092',
        flag: 'fatal',
        message: '[BR-RO-090]-Localitatea Cumparatorului (BT-52) trebuie furnizata. #Buyer city(BT-37) must be provided.',
        test: (n) => someNotBlank(elementOf(n), `${BUYER}/cbc:CityName`),
      },
      {
        id: 'BR-RO-100',
        flag: 'fatal',
        message:
          "[BR-RO-100]-Daca Codul tarii Vanzatorului (BT-40) este RO si Subdiviziunea tarii Vanzatorului (BT-39) este RO-B (corespunzator Municipiului Bucuresti), atunci Localitatea Vanzatorului (BT-37) trebuie sa fie codificata folosind lista de coduri SECTOR-RO. #If the Seller's country Code (BT-40) is RO and the Seller's country subdivision (BT-39) is RO-B (corresponding to Bucharest Municipality), then the Seller city (BT-37) must be coded using the code list SECTOR-RO(SECTOR1, SECTOR2, SECTOR3, SECTOR4, SECTOR5, SECTOR6).",
        test: (n) => bucharestCityIsSector(elementOf(n), SELLER),
      },
      {
        id: 'BR-RO-110',
        flag: 'fatal',
        message:
          '[BR-RO-110]-Daca Codul tarii Vanzatorului (BT-40) este RO, atunci Subdiviziunea tarii Vanzatorului (BT-39) trebuie sa fie codificata folosind lista de coduri ISO 3166-2:RO (ex. "RO-B" pentru Municipiul Bucuresti, "RO-AB" pentru judetul Alba...). #If the Seller\'s country Code (BT-40) is RO, then the Seller\'s country subdivision (BT-39) must be coded using the ISO 3166-2: RO code list (ex. "RO-B" for Bucharest, "RO-AB" for Alba County...).',
        test: (n) => romanianSubdivisionIsCoded(elementOf(n), SELLER),
      },
      {
        id: 'BR-RO-101',
        flag: 'fatal',
        message:
          "[BR-RO-100]-Daca Codul tarii Cumparatorului (BT-55) este RO si Subdiviziunea tarii Cumparatorului (BT-54) este RO-B (corespunzator Municipiului Bucuresti), atunci Localitatea Cumparatorului (BT-52) trebuie sa fie codificata folosind lista de coduri SECTOR-RO. #If the Buyer's country Code (BT-55) is RO and the Buyer's country subdivision (BT-54) is RO-B (corresponding to Bucharest Municipality), then the Buyer city (BT-52) must be coded using the code list SECTOR-RO(SECTOR1, SECTOR2, SECTOR3, SECTOR4, SECTOR5, SECTOR6).",
        test: (n) => bucharestCityIsSector(elementOf(n), BUYER),
      },
      {
        id: 'BR-RO-111',
        flag: 'fatal',
        message:
          '[BR-RO-110]-Daca Codul tarii Cumparatorului (BT-55) este RO, atunci Subdiviziunea tarii Cumparatorului (BT-54) trebuie sa fie codificata folosind lista de coduri ISO 3166-2:RO (ex. "RO-B" pentru Municipiul Bucuresti, "RO-AB" pentru judetul Alba...). #If the Buyer\'s country Code (BT-55) is RO, then the Buyer\'s country subdivision (BT-54) must be coded using the ISO 3166-2: RO code list (ex. "RO-B" for Bucharest, "RO-AB" for Alba County...).',
        test: (n) => romanianSubdivisionIsCoded(elementOf(n), BUYER),
      },
      {
        id: 'BR-RO-120',
        flag: 'fatal',
        message:
          '[BR-RO-120]-Identificatorul de înregistrare legala a Cumparatorului (BT-47) si/sau Identificatorul de TVA al Cumparatorului (BT-48) trebuie sa fie înscris. #The Buyer legal registration identifier (BT-47) and/or the Buyer VAT identifier (BT-48) shall be present.',
        test: (n) => {
          const root = elementOf(n);
          return (
            !vatCategoryNeedsIdentifiers(root) ||
            exists(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID') ||
            someNotBlank(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID')
          );
        },
      },
    ],
  }),
];
