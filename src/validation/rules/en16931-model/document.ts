/** EN 16931 business rules on the document as a whole (root context): BR-01…BR-16, BR-53, BR-66/67, BR-CO-03/18, BR-DEC-13/15. */
import { rule } from '../../registry.js';
import { anyNonEmpty, anywhere, attr, elementOf, select, stringValue } from '../../model/navigate.js';
import { MODEL_ROOT } from '../contexts.js';
import { fatal, has } from './xpath.js';

const el = elementOf;

export default [
  rule({
    ...MODEL_ROOT,
    asserts: [
      fatal('BR-01', '[BR-01]-An Invoice shall have a Specification identifier (BT-24).', (n) => anyNonEmpty(el(n), 'cbc:CustomizationID')),
      fatal('BR-02', '[BR-02]-An Invoice shall have an Invoice number (BT-1).', (n) => anyNonEmpty(el(n), 'cbc:ID')),
      fatal('BR-03', '[BR-03]-An Invoice shall have an Invoice issue date (BT-2).', (n) => anyNonEmpty(el(n), 'cbc:IssueDate')),
      fatal(
        'BR-04',
        '[BR-04]-An Invoice shall have an Invoice type code (BT-3).',
        (n) => anyNonEmpty(el(n), 'cbc:InvoiceTypeCode') || anyNonEmpty(el(n), 'cbc:CreditNoteTypeCode'),
      ),
      fatal('BR-05', '[BR-05]-An Invoice shall have an Invoice currency code (BT-5).', (n) => anyNonEmpty(el(n), 'cbc:DocumentCurrencyCode')),
      fatal('BR-06', '[BR-06]-An Invoice shall contain the Seller name (BT-27).', (n) =>
        anyNonEmpty(el(n), 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'),
      ),
      fatal('BR-07', '[BR-07]-An Invoice shall contain the Buyer name (BT-44).', (n) =>
        anyNonEmpty(el(n), 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'),
      ),
      fatal('BR-08', '[BR-08]-An Invoice shall contain the Seller postal address.', (n) =>
        has(el(n), 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'),
      ),
      fatal('BR-10', '[BR-10]-An Invoice shall contain the Buyer postal address (BG-8).', (n) =>
        has(el(n), 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'),
      ),
      fatal(
        'BR-16',
        '[BR-16]-An Invoice shall have at least one Invoice line (BG-25)',
        (n) => has(el(n), 'cac:InvoiceLine') || has(el(n), 'cac:CreditNoteLine'),
      ),
      fatal(
        'BR-53',
        '[BR-53]-If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.',
        (n) => {
          const amounts = anywhere(n, 'cac:TaxTotal').flatMap((t) => select(t, 'cbc:TaxAmount'));
          return select(el(n), 'cbc:TaxCurrencyCode').every((c) => amounts.some((a) => attr(a, 'currencyID') === stringValue(c)));
        },
      ),
      fatal(
        'BR-66',
        '[BR-66]-An Invoice shall contain maximum one Payment Card account (BG-18).',
        (n) => select(el(n), 'cac:PaymentMeans/cac:CardAccount').length <= 1,
      ),
      fatal(
        'BR-67',
        '[BR-67]-An Invoice shall contain maximum one Payment Mandate (BG-19).',
        (n) => select(el(n), 'cac:PaymentMeans/cac:PaymentMandate').length <= 1,
      ),
      fatal(
        'BR-CO-03',
        '[BR-CO-03]-Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.',
        (n) => !(has(el(n), 'cbc:TaxPointDate') && has(el(n), 'cac:InvoicePeriod/cbc:DescriptionCode')),
      ),
      fatal('BR-CO-18', '[BR-CO-18]-An Invoice shall at least have one VAT breakdown group (BG-23).', (n) =>
        has(el(n), 'cac:TaxTotal/cac:TaxSubtotal'),
      ),
      // `//cac:TaxTotal/cbc:TaxAmount[@currencyID = cbc:DocumentCurrencyCode]`: inside the predicate
      // cbc:DocumentCurrencyCode is looked for as a child of TaxAmount, which never has one, so the
      // predicate selects nothing and the assert always holds (likewise BR-DEC-15).
      fatal('BR-DEC-13', '[BR-DEC-13]-The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.', () => true),
      fatal(
        'BR-DEC-15',
        '[BR-DEC-15]-The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.',
        () => true,
      ),
    ],
  }),
];
