/**
 * CIUS-RO maximum lengths (BR-RO-L*) as data: per rule context, [id, path from the context node,
 * maximum characters after normalize-space, ANAF's message]. Test: string-length(normalize-space(path)) <= max.
 */
import type { LengthRow } from './xpath.js';

/** /ubl:Invoice | /cn:CreditNote */
export const DOCUMENT_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L0201', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone', 20, '[BR-RO-L020]-Numarul maxim permis de caractere pentru Codul postal al Vanzatorului (BT-38) este 20. #The allowed maximum number of characters for the Seller post code (BT-38) is 20.'],
  ['BR-RO-L0202', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:PostalZone', 20, '[BR-RO-L020]-Numarul maxim permis de caractere pentru Codul postal al Cumparatorului (BT-53) este 20. #The allowed maximum number of characters for the Buyer post code (BT-53) is 20.'],
  ['BR-RO-L0203', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:PostalZone', 20, '[BR-RO-L020]-Numarul maxim permis de caractere pentru Codul postal al reprezentantului fiscal (BT-67) este 20. #The allowed maximum number of characters for the Tax representative post code (BT-67) is 20.'],
  ['BR-RO-L0204', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:PostalZone', 20, '[BR-RO-L020]-Numarul maxim permis de caractere pentru Codul postal de livrare (BT-78) este 20. #The allowed maximum number of characters for the Deliver to post code (BT-78) is 20.'],
  ['BR-RO-L155', 'cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numarul facturii (BT-1) este 200. #The allowed maximum number of characters for the Invoice number (BT-1) is 200.'],
  ['BR-RO-L0302', 'cac:ContractDocumentReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta contractului (BT-12) este 200. #The allowed maximum number of characters for the Contract reference(BT-12) is 200.'],
  ['BR-RO-L0303', 'cac:OrderReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta comenzii (BT-13) este 200. #The allowed maximum number of characters for the Purchase order reference(BT-13) is 200.'],
  ['BR-RO-L0304', 'cac:OrderReference/cbc:SalesOrderID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta dispozitiei de vanzare (BT-14) este 200. #The allowed maximum number of characters for the Sales order reference (BT-14) is 200.'],
  ['BR-RO-L0305', 'cac:ReceiptDocumentReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta avizului de receptie (BT-15) este 200. #The allowed maximum number of characters for the Receiving advice reference (BT-15) is 200.'],
  ['BR-RO-L0306', 'cac:DespatchDocumentReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta avizului de expeditie (BT-16) este 200. #The allowed maximum number of characters for the Despatch advice reference (BT-16) is 200.'],
  ['BR-RO-L0307', 'cac:OriginatorDocumentReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta cererii de oferta sau a lotului (BT-17) este 200. #The allowed maximum number of characters for the Tender or lot reference (BT-17) is 200.'],
  ['BR-RO-L0501', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName', 50, '[BR-RO-L050]-Numarul maxim permis de caractere pentru Localitatea Vanzatorului (BT-37) este 50. #The allowed maximum number of characters for the Seller city (BT-37) is 50.'],
  ['BR-RO-L0502', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName', 50, '[BR-RO-L050]-Numarul maxim permis de caractere pentru Localitatea Cumparatorului (BT-52) este 50. #The allowed maximum number of characters for the Buyer city (BT-52) is 50.'],
  ['BR-RO-L0503', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:CityName', 50, '[BR-RO-L050]-Numarul maxim permis de caractere pentru Localitatea reprezentantului fiscal (BT-66) este 50. #The allowed maximum number of characters for the Tax representative city (BT-66) is 50.'],
  ['BR-RO-L0504', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:CityName', 50, '[BR-RO-L050]-Numarul maxim permis de caractere pentru Localitatea de livrare (BT-77) este 50. #The allowed maximum number of characters for the Deliver to city (BT-77) is 50.'],
  ['BR-RO-L1001', 'cbc:AccountingCost', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Referinta contabila a Cumparatorului (BT-19) este 100. #The allowed maximum number of characters for the Buyer accounting reference (BT-19) is 100.'],
  ['BR-RO-L1002', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:AdditionalStreetName', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa Vanzatorului - Linia 2 (BT-36) este 100. #The allowed maximum number of characters for the Seller address line 2 (BT-36) is 100.'],
  ['BR-RO-L1003', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa Vanzatorului - Linia 3 (BT-162) este 100. #The allowed maximum number of characters for the Seller address line 3 (BT-162) is 100.'],
  ['BR-RO-L1004', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Name', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Punctul de contact al Vanzatorului (BT-41) este 100. #The allowed maximum number of characters for the Seller contact point (BT-41) is 100.'],
  ['BR-RO-L1005', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Telephone', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Numarul de telefon al contactului Vanzatorului (BT-42) este 100. #The allowed maximum number of characters for the Seller contact telephone number (BT-42) is 100.'],
  ['BR-RO-L1006', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ElectronicMail', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa de email a contactului Vanzatorului (BT-43) este 100. #The allowed maximum number of characters for the Seller contact email address (BT-43) is 100.'],
  ['BR-RO-L1007', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:AdditionalStreetName', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa Cumparatorului - Linia 2 (BT-51) este 100. #The allowed maximum number of characters for the Buyer address line 2 (BT-51) is 100.'],
  ['BR-RO-L1008', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa Cumparatorului - Linia 3 (BT-163) este 100. #The allowed maximum number of characters for the Buyer address line 3 (BT-163) is 100.'],
  ['BR-RO-L1009', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Name', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Punctul de contact al Cumparatorului (BT-56) este 100. #The allowed maximum number of characters for the Buyer contact point (BT-56) is 100.'],
  ['BR-RO-L1010', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Telephone', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Numarul de telefon al contactului Cumparatorului (BT-57) este 100. #The allowed maximum number of characters for the Buyer contact telephone number (BT-57) is 100.'],
  ['BR-RO-L1011', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa de email a contactului Cumparatorului (BT-58) este 100. #The allowed maximum number of characters for the Buyer contact email address (BT-58) is 100.'],
  ['BR-RO-L1012', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:AdditionalStreetName', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa reprezentantului fiscal - Linia 2 (BT-65) este 100. #The allowed maximum number of characters for the Tax representative address line 2 (BT-65) is 100.'],
  ['BR-RO-L1013', 'cac:TaxRepresentativeParty/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa reprezentantului fiscal - Linia 3 (BT-164) este 100. #The allowed maximum number of characters for the Tax representative address line 3 (BT-164) is 100.'],
  ['BR-RO-L1014', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:AdditionalStreetName', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa de livrare - Linia 2 (BT-76) este 100. #The allowed maximum number of characters for the Deliver to address line 2 (BT-76) is 100.'],
  ['BR-RO-L1015', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:AddressLine/cbc:Line', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Adresa de livrare - Linia 3 (BT-165) este 100. #The allowed maximum number of characters for the Deliver to address line 3 (BT-165) is 100.'],
  ['BR-RO-L151', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName', 150, '[BR-RO-L150]-Numarul maxim permis de caractere pentru Adresa Vanzatorului - Linia 1 (BT-35) este 150. #The allowed maximum number of characters for the Seller address line 1 (BT-35) is 150.'],
  ['BR-RO-L152', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName', 150, '[BR-RO-L150]-Numarul maxim permis de caractere pentru Adresa Cumparatorului - Linia 1 (BT-50) este 150. #The allowed maximum number of characters for the Buyer address line 1 (BT-50) is 150.'],
  ['BR-RO-L153', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:StreetName', 150, '[BR-RO-L150]-Numarul maxim permis de caractere pentru Adresa reprezentantului fiscal - Linia 1 (BT-64) este 150. #The allowed maximum number of characters for the Tax representative address line 1 (BT-64) is 150.'],
  ['BR-RO-L154', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:StreetName', 150, '[BR-RO-L150]-Numarul maxim permis de caractere pentru Adresa de livrare - Linia(BT-75) 1 este 150. #The allowed maximum number of characters for the Deliver to address line 1(BT-75) is 150.'],
  ['BR-RO-L201', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele Vanzatorului (BT-27) este 200. #The allowed maximum number of characters for the Seller name (BT-27) is 200.'],
  ['BR-RO-L202', 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Denumirea comerciala a Vanzatorului (BT-28), este 200. #The allowed maximum number of characters for the Seller trading name (BT-28) is 200.'],
  ['BR-RO-L203', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele Cumparatorului (BT-44), este 200. #The allowed maximum number of characters for the Buyer name (BT-44) is 200.'],
  ['BR-RO-L204', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Denumirea comerciala a Cumparatorului (BT-45), este 200. #The allowed maximum number of characters for the Buyer trading name (BT-45) is 200.'],
  ['BR-RO-L205', 'cac:PayeeParty/cac:PartyName/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele Beneficiarului (BT-59), este 200. #The allowed maximum number of characters for the Payee name (BT-59) is 200.'],
  ['BR-RO-L206', 'cac:TaxRepresentativeParty/cac:PartyName/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele reprezentantului fiscal al Vanzatorului (BT-62), este 200. #The allowed maximum number of characters for the Seller tax representative name (BT-62) is 200.'],
  ['BR-RO-L207', 'cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele partii catre care se face livrarea (BT-70), este 200. #The allowed maximum number of characters for the Deliver to party name (BT-70) is 200.'],
  ['BR-RO-L301', 'cac:PaymentTerms/cbc:Note', 300, '[BR-RO-L300]-Numarul maxim permis de caractere pentru Termeni de plata (BT-20) este 300. #The allowed maximum number of characters for the Payment terms (BT-20) is 300.'],
  ['BR-RO-L1000', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm', 1000, '[BR-RO-L1000]-Numarul maxim permis de caractere pentru Informatii juridice suplimentare despre Vanzator (BT-33)) este 1000. #The allowed maximum number of characters for the Seller additional legal (BT-33) is 1000.'],
];

/** //cac:PaymentMeans */
export const PAYMENT_MEANS_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L208', 'cac:PayeeFinancialAccount/cbc:Name', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele contului de plata (BT-85), este 200. #The allowed maximum number of characters for the Payment account name (BT-85) is 200.'],
  ['BR-RO-L209', 'cac:CardAccount/cbc:HolderName', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele detinatorului cardului de plata (BT-88), este 200. #The allowed maximum number of characters for the Payment card holder name(BT-88) is 200.'],
  ['BR-RO-L1016', 'cbc:PaymentMeansCode/@name', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Explicatii privind instrumentul de plata (BT-82) este 100. #The allowed maximum number of characters for the Payment means text (BT-82) is 100.'],
  ['BR-RO-L140', 'cbc:PaymentID', 140, '[BR-RO-L140]-Numarul maxim permis de caractere pentru Aviz de plata (BT-83) este 140. #The allowed maximum number of characters for the Remittance information (BT-83) is 140.'],
];

/** cac:InvoiceLine | cac:CreditNoteLine */
export const LINE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1024', 'cac:Item/cbc:Name', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Numele articolului (BT-153) este 100. #The allowed maximum number of characters for the Item name (BT-153) is 100.'],
  ['BR-RO-L1021', 'cbc:AccountingCost', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Referinta contabila a Cumparatorului din linia facturii (BT-133) este 100. #The allowed maximum number of characters for the Invoice line Buyer accounting reference (BT-133) is 100.'],
  ['BR-RO-L212', 'cac:Item/cbc:Description', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Descrierea articolului (BT-154) este 200. #The allowed maximum number of characters for the Item description (BT-154) is 200.'],
  ['BR-RO-L303', 'cbc:Note', 300, '[BR-RO-L300]-Numarul maxim permis de caractere pentru Nota liniei facturii (BT-127) este 300. #The allowed maximum number of characters for the Invoice line note (BT-127) is 300.'],
];

/** //cac:Item/cac:AdditionalItemProperty */
export const ITEM_PROPERTY_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L0505', 'cbc:Name', 50, '[BR-RO-L050]-Numarul maxim permis de caractere pentru Numele atributului articolului (BT-160) este 50. #The allowed maximum number of characters for the Item attribute name (BT-160) is 50.'],
  ['BR-RO-L1025', 'cbc:Value', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Valoarea atributului articolului (BT-161) este 100. #The allowed maximum number of characters for the Item attribute value (BT-161) is 100.'],
];

/** /ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | /ubl:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = false()] */
export const DOCUMENT_ALLOWANCE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1017', 'cbc:AllowanceChargeReasonCode', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Motivul deducerii la nivelul documentului (BT-97) este 100. #The allowed maximum number of characters for the Document level allowance reason (BT-97) is 100.'],
];

/** /ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | /ubl:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = true()] */
export const DOCUMENT_CHARGE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1018', 'cbc:AllowanceChargeReasonCode', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Motivul taxei suplimentare la nivelul documentului (BT-104) este 100. #The allowed maximum number of characters for the Document level charge reason (BT-104) is 100.'],
];

/** //cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()] */
export const LINE_ALLOWANCE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1022', 'cbc:AllowanceChargeReason', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Motivul deducerii la linia facturii (BT-139) este 100. #The allowed maximum number of characters for the Invoice line allowance reason (BT-139) is 100.'],
];

/** //cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()] */
export const LINE_CHARGE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1023', 'cbc:AllowanceChargeReason', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Motivul taxei suplimentare la linia facturii (BT-144) este 100. #The allowed maximum number of characters for the Invoice line charge reason (BT-144) is 100.'],
];

/** cbc:Note */
export const NOTE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L302', '.', 300, '[BR-RO-L300]-Numarul maxim permis de caractere pentru Comentariu în factura (BT-22) este 300. #The allowed maximum number of characters for the Invoice note (BT-22) is 300.'],
];

/** //cac:AdditionalDocumentReference */
export const ADDITIONAL_DOCUMENT_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L0308', 'cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Identificatorul obiectului facturat (BT-18) si Referinta documentului justificativ (BT-122) este 200. #The allowed maximum number of characters for the Invoiced object identifier (BT-18) and the Supporting document reference(BT-122)is 200.'],
  ['BR-RO-L1020', 'cbc:DocumentDescription', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Descrierea documentului justificativ (BT-123) este 100. #The allowed maximum number of characters for the Supporting document description (BT-123) is 100.'],
  ['BR-RO-L210', 'cac:Attachment/cac:ExternalReference/cbc:URI', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Localizarea documentului extern (BT-124), este 200. #The allowed maximum number of characters for the External document location (BT-124) is 200.'],
  ['BR-RO-L211', 'cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Numele fisierului documentului atasat (BT-125-2), este 200. #The allowed maximum number of characters for the Attached document Filename (BT-125-2) is 200.'],
];

/** //cac:BillingReference */
export const BILLING_REFERENCE_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L156', 'cac:InvoiceDocumentReference/cbc:ID', 200, '[BR-RO-L200]-Numarul maxim permis de caractere pentru Referinta la o factura anterioara (BT-25) este 200. #The allowed maximum number of characters for the Preceding Invoice number (BT-25) is 200.'],
];

/** /ubl:Invoice/cac:TaxTotal/cac:TaxSubtotal | /ubl:CreditNote/cac:TaxTotal/cac:TaxSubtotal */
export const TAX_SUBTOTAL_LENGTHS: readonly LengthRow[] = [
  ['BR-RO-L1019', 'cbc:TaxExemptionReason', 100, '[BR-RO-L100]-Numarul maxim permis de caractere pentru Motivul scutirii de TVA (BT-120) este 100. #The allowed maximum number of characters for the VAT exemption reason text (BT-120) is 100.'],
];

