/**
 * CIUS-RO rules on the tax representative's address (BG-12, ROmodel 1017) and the delivery
 * address (BG-15, 1015): line 1 and city present, Bucharest sectors, ISO 3166-2:RO subdivisions.
 * `/ubl:CreditNote/…` branches never match (ubl is the Invoice namespace); kept as ANAF wrote them.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { elementOf } from '../../model/navigate.js';
import { bucharestCityIsSector, romanianSubdivisionIsCoded } from './address.js';
import { someNotBlank } from './xpath.js';

const TAX_REP_ADDRESS = '/ubl:Invoice/cac:TaxRepresentativeParty/cac:PostalAddress | /ubl:CreditNote/cac:TaxRepresentativeParty/cac:PostalAddress';
const DELIVERY_ADDRESS =
  '/ubl:Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address | /ubl:CreditNote/cac:Delivery/cac:DeliveryLocation/cac:Address';

export default [
  rule({
    pattern: 'ROmodel',
    priority: 1017,
    context: TAX_REP_ADDRESS,
    match: pattern(TAX_REP_ADDRESS),
    asserts: [
      {
        id: 'BR-RO-140',
        flag: 'fatal',
        message:
          '[BR-RO-140"]-Adresa poștala a reprezentantului fiscal al Vanzatorului (BG-12) trebuie sa contina Linia 1 (BT-64), daca Vanzatorul (BG-4) are un reprezentant fiscal al Vanzatorului (BG-11). #Tax representative address line 1 BT-64 ) must be provided, if the Seller (BG-4) has a Seller tax representative party (BG-11)',
        test: (n) => someNotBlank(elementOf(n), 'cbc:StreetName'),
      },
      {
        id: 'BR-RO-150',
        flag: 'fatal',
        message:
          '[BR-RO-150]-Adresa poștala a reprezentantului fiscal al Vanzatorului (BG-12) trebuie sa contina Localitatea reprezentantului fiscal (BT-66), daca Vanzatorul (BG-4) are un reprezentant fiscal al Vanzatorului (BG-11). #Tax representative city (BT-66 ) must be provided, if the Seller (BG-4) has a Seller tax representative party (BG-11),',
        test: (n) => someNotBlank(elementOf(n), 'cbc:CityName'),
      },
      {
        id: 'BR-RO-160',
        flag: 'fatal',
        message:
          '[BR-RO-160]-Daca Codul tarii Reprezentantului fiscal al Vanzatorului (BT-69) este RO si Subdiviziunea tarii Reprezentantului fiscal al Vanzatorului (BT-68) este RO-B (corespunzator Municipiului Bucuresti), atunci Localitatea reprezentantului fiscal al Vanzatorului (BT-66) trebuie sa fie codificata folosind lista de coduri SECTOR-RO. #If the Tax representative country code (BT-69) is RO and the Tax representative country subdivision (BT-68) is RO-B (corresponding to Bucharest Municipality), then the Tax representative city(BT-66) must be coded using the code list SECTOR-RO(SECTOR1, SECTOR2, SECTOR3, SECTOR4, SECTOR5, SECTOR6).',
        test: (n) => bucharestCityIsSector(elementOf(n), ''),
      },
      {
        id: 'BR-RO-170',
        flag: 'fatal',
        message:
          "[BR-RO-170]-Daca Codul tarii Reprezentantului fiscal al Vanzatorului (BT-69) este RO, atunci Subdiviziunea tarii Reprezentantului fiscal al Vanzatorului (BT-68) trebuie sa fie codificata folosind lista de coduri ISO 3166-2:RO (ex. RO-B pentru Municipiul Bucuresti, RO-AB pentru judetul Alba...). #If the Seller's tax representative country code (BT-69) is RO, then the Seller's tax representative country subdivision (BT-68) must be coded using the ISO 3166-2: RO code list (ex. RO-B for Bucharest, RO-AB for Alba County...).",
        test: (n) => romanianSubdivisionIsCoded(elementOf(n), ''),
      },
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1015,
    context: DELIVERY_ADDRESS,
    match: pattern(DELIVERY_ADDRESS),
    asserts: [
      {
        id: 'BR-RO-180',
        flag: 'fatal',
        message:
          '[BR-RO-180"-Daca Adresa de livrare (BG-15) exista, trebuie furnizata Adresa de livrare — linia 1 (BT-75). #If the Delivery to (BG-15) exists, the Deliver to address line 1 (BT-75) must exists.',
        test: (n) => someNotBlank(elementOf(n), 'cbc:StreetName'),
      },
      {
        id: 'BR-RO-201',
        flag: 'fatal',
        message:
          '[BR-RO-200]-Daca Adresa de livrare (BG-15) exista, trebuie furnizata Localitatea de livrare (BT-77). #If the Delivery to (BG-15) exists, the Deliver to city (BT-77) must exists.',
        test: (n) => someNotBlank(elementOf(n), 'cbc:CityName'),
      },
      {
        id: 'BR-RO-202',
        flag: 'fatal',
        message:
          '[BR-RO-200]-Daca Codul tarii de livrare (BT-80) este RO si Subdiviziunea tarii de livrare (BT-79) este "RO-B" (corespunzator Municipiului Bucuresti), atunci Localitatea de livrare (BT-77) trebuie sa fie codificata folosind lista de coduri SECTOR-RO. #If the Delivery to country code (BT-80) is RO and the Delivery to country subdivision (BT-79) is "RO-B" (corresponding to Bucharest Municipality), then the Delivery to city(BT-77) must be coded using the code list SECTOR-RO(SECTOR1, SECTOR2, SECTOR3, SECTOR4, SECTOR5, SECTOR6).',
        test: (n) => bucharestCityIsSector(elementOf(n), ''),
      },
      {
        id: 'BR-RO-211',
        flag: 'fatal',
        message:
          '[BR-RO-210"]-Daca Adresa de livrare (BG-15) exista, trebuie furnizata Subdiviziunea tarii de livrare (BT-79). #If the Delivery to (BG-15) exists, the Deliver to country subdivision (BT-79) must exists.',
        test: (n) => someNotBlank(elementOf(n), 'cbc:CountrySubentity'),
      },
      {
        id: 'BR-RO-212',
        flag: 'fatal',
        message:
          '[BR-RO-210]-Daca Codul tarii de livrare (BT-80) este "RO", atunci Subdiviziunea tarii de livrare (BT-79) trebuie sa fie codificata folosind lista de coduri ISO 3166-2:RO (ex. "RO-B" pentru Municipiul Bucuresti, "RO-AB" pentru judetul Alba...). #If Delivery country code (BT-80) is "RO", then Delivery country subdivision (BT-79) must be coded using the ISO 3166-2: RO code list (ex. "RO-B" for Bucharest, "RO-AB" for Alba County...).',
        test: (n) => romanianSubdivisionIsCoded(elementOf(n), ''),
      },
    ],
  }),
];
