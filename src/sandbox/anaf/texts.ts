/**
 * ANAF's own strings as the sandbox speaks them: namespaces, states, message types and the
 * Romanian answer texts, copied from the examples in ../shared/reference/anaf-api/. The
 * misspellings are ANAF's ("inteorgare", "petru", "toatal", "zile", "acesta factura"); a
 * client must meet them exactly as the real service sends them.
 */

export const NS = {
  uploadAnswer: 'mfp:anaf:dgti:spv:respUploadFisier:v1',
  status: 'mfp:anaf:dgti:efactura:stareMesajFactura:v1',
  errorDocument: 'mfp:anaf:dgti:efactura:mesajEroriFactuta:v1',
  buyerMessage: 'mfp:anaf:dgti:spv:reqMesaj:v1',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** `stare` values of stareMesaj. */
export const STATE = {
  ok: 'ok',
  nok: 'nok',
  processing: 'in prelucrare',
  rejected: 'XML cu erori nepreluat de sistem',
} as const;

/** `tip` of message list entries. */
export const TIP = {
  sent: 'FACTURA TRIMISA',
  received: 'FACTURA PRIMITA',
  errors: 'ERORI FACTURA',
  // NOTE: QUIRKS.md lists the buyer-message types as "exact strings to confirm".
  buyerMessageReceived: 'MESAJ CUMPARATOR PRIMIT',
  buyerMessageSent: 'MESAJ CUMPARATOR TRANSMIS',
} as const;

export type MessageTip = (typeof TIP)[keyof typeof TIP];

/** Which `tip` each `filtru` letter selects. */
export const FILTER_TIPS: Record<'E' | 'T' | 'P' | 'R', readonly MessageTip[]> = {
  E: [TIP.errors],
  T: [TIP.sent],
  P: [TIP.received],
  R: [TIP.buyerMessageReceived, TIP.buyerMessageSent],
};

export const LIST_TITLE = 'Lista Mesaje';
export const DOWNLOAD_TITLE = 'Descarcare mesaj';

/** HTTP 400 `message` texts (GeneralErrorMessage). */
export const BAD_REQUEST = {
  uploadParams: 'Parametrii standard si cif sunt obligatorii',
  uploadBody: 'Trebuie sa aveti atasat in request un fisier de tip xml',
  statusParam: 'Parametrul id_incarcare este obligatoriu',
  listParams: 'Parametrii zile si cif sunt obligatorii',
  pagedParams: 'Parametrii startTime, endTime, cif si pagina sunt obligatorii',
  downloadParam: 'Parametrul id este obligatoriu',
} as const;

export const UPLOAD = {
  badStandard: 'Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP',
  tooLarge: 'Marime fisier transmis mai mare de 10 MB.',
  cifNotNumeric: (cif: string) => `CIF introdus= ${cif} nu este un numar`,
  noRightsAtAll: 'Nu exista niciun CIF pentru care sa aveti drept in SPV',
  noRightsForCif: (cif: string) => `Nu aveti drept in SPV pentru CIF=${cif}`,
  badExtern: 'Daca parametrul extern trebuie completat, valoarea acceptata este DA',
  // NOTE: ANAF names the parameter "autofactura" but its refusal says "autofacturare".
  badAutofactura: 'Daca parametrul autofacturare trebuie completat, valoarea acceptata este DA',
  badExecutare: 'Daca parametrul executare trebuie completat, valoarea acceptata este DA',
  notInEnforcementRegistry: (cif: string) =>
    `CIF introdus= ${cif} nu este inregistrat in Registrul RO e-Factura executari silite`,
  // NOTE: "in cursul zile" (sic) is ANAF's text.
  raspQuota: (limit: number, cif: string) =>
    `S-au incarcat deja ${limit} de mesaje de tip RASP pentru cui=${cif} in cursul zile`,
  technical: (code: string) => `A aparut o eroare tehnica. Cod: ${code}`,
  /** Xerces' wording, as ANAF's parser reports a malformed or unexpected document. */
  invalidXml: (line: number, column: number, detail: string) =>
    `Fisierul transmis nu este valid. org.xml.sax.SAXParseException; lineNumber: ${line}; columnNumber: ${column}; ${detail} `,
  unknownRoot: (qname: string) => `cvc-elt.1.a: Cannot find the declaration of element '${qname}'.`,
  doctype: 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.',
} as const;

export const STATUS = {
  // NOTE: "petru" and "inteorgare" (sic) are ANAF's.
  noRightsAtAll: 'Nu exista niciun CIF petru care sa aveti drept',
  notNumeric: (id: string) => `Id_incarcare introdus= ${id} nu este un numar intreg`,
  unknown: (id: string) => `Nu exista factura cu id_incarcare= ${id}`,
  noRights: (id: string) => `Nu aveti dreptul de inteorgare pentru id_incarcare= ${id}`,
  // NOTE: ANAF's example of the status quota answer speaks of "descarcari"; kept as given.
  quota: (limit: number) => `S-au facut deja ${limit} descarcari de mesaj in cursul zilei`,
} as const;

export const LIST = {
  cifNotNumeric: (cif: string) => `CIF introdus= ${cif} nu este un numar`,
  daysNotInteger: (days: string) => `Numarul de zile introdus= ${days} nu este un numar intreg`,
  daysRange: 'Numarul de zile trebuie sa fie intre 1 si 60',
  badFilter: 'Valorile acceptate pentru parametrul filtru sunt E, T, P sau R',
  noRightsForCif: (cif: string) => `Nu aveti drept in SPV pentru CIF=${cif}`,
  noRightsAtAll: 'Nu exista niciun CIF pentru care sa aveti drept in SPV',
  none: (days: number) => `Nu exista mesaje in ultimele ${days} zile`,
  tooMany: 'Lista de mesaje este mai mare decat numarul de 500 elemente permise in pagina. Folositi endpoint-ul cu paginatie.',
  // NOTE: ANAF's example quotes 1000 (an older limit); the sandbox says its configured limit.
  quota: (limit: number) => `S-au facut deja ${limit} interogari de lista mesaje de catre utilizator in cursul zilei`,
  title: (days: number) => `Lista Mesaje disponibile din ultimele ${days} zile`,
} as const;

export const PAGED = {
  cifNotNumeric: (cif: string) => `CIF introdus= ${cif} nu este un numar sau nu are o valoare acceptata de sistem`,
  notNumber: (name: 'startTime' | 'endTime' | 'pagina', value: string) =>
    `${name} = ${value} nu este un numar sau nu are o valoare acceptata de sistem`,
  startTooOld: (start: string) => `startTime = ${start} nu poate fi mai vechi de 60 de zile fata de momentul requestului`,
  endBeforeStart: (end: string, start: string) => `endTime = ${end} nu poate fi <= startTime = ${start}`,
  // NOTE: "nu poate in viitor" (a word missing) is ANAF's.
  endInFuture: (end: string) => `endTime = ${end} nu poate in viitor fata de momentul requestului`,
  none: 'Nu exista mesaje in intervalul selectat',
  // NOTE: "toatal" (sic).
  pageTooHigh: (page: number, pages: number) =>
    `Pagina solicitata ${page} este mai mare decat numarul toatal de pagini ${pages}`,
  title: (start: string, end: string) => `Lista Mesaje disponibile din intervalul ${start} - ${end}`,
} as const;

export const DOWNLOAD = {
  notNumeric: (id: string) => `Id descarcare introdus= ${id} nu este un numar intreg`,
  // NOTE: "acesta factura" (sic).
  noRights: 'Nu aveti dreptul sa descarcati acesta factura',
  unknown: (id: string) => `Pentru id=${id} nu exista inregistrata nici o factura`,
  quota: (limit: number) => `S-au facut deja ${limit} descarcari de mesaj in cursul zilei`,
  // NOTE: only the ending "... a trecut perioada de 60 de zile" is known (QUIRKS.md); the start is the sandbox's.
  expired: (id: string) => `Mesajul cu id=${id} nu mai poate fi descarcat, a trecut perioada de 60 de zile`,
} as const;

/** Texts that appear in error documents, list details and validation answers. */
export const PROCESSING = {
  sentDetails: (index: string, issuer: string, receiver: string) =>
    `Factura cu id_incarcare=${index} emisa de cif_emitent=${issuer} pentru cif_beneficiar=${receiver}`,
  // NOTE: ANAF's self-billing wording, with its double space and "autofactutra" (QUIRKS.md).
  selfBilledDetails: (index: string, transmitter: string, onBehalfOf: string) =>
    `Factura cu id_incarcare=${index} transmisa de cif=${transmitter}  ca autofactutra in numele cif=${onBehalfOf}`,
  errorDetails: (index: string) => `Erori de validare identificate la factura transmisa cu id_incarcare=${index}`,
  // NOTE: ANAF's wording for buyer messages is not documented; these are the sandbox's.
  buyerMessageSentDetails: (index: string, invoiceIndex: string, cif: string) =>
    `Mesaj cumparator cu id_incarcare=${index} transmis de cif=${cif} pentru factura cu id_incarcare=${invoiceIndex}`,
  buyerMessageReceivedDetails: (index: string, invoiceIndex: string, cif: string) =>
    `Mesaj cumparator cu id_incarcare=${index} primit de la cif=${cif} pentru factura cu id_incarcare=${invoiceIndex}`,
  // NOTE: reported by integrators (QUIRKS.md): a second upload of an accepted invoice ends in this error.
  duplicate: (previousIndex: string) => `Factura a mai fost transmisa anterior cu index=${previousIndex}`,
} as const;

export const VALIDATION = {
  badStandard: 'Valorile acceptate pentru parametrul standard sunt FACT1 si FCN',
  tooLarge: 'Marime fisier transmis mai mare de 5 MB.',
} as const;

export const SIGNATURE = {
  valid:
    'Fișierele încărcate au fost validate cu succes, din perspectiva autenticității semnăturii aplicate și a apartenenței acesteia la XML-ul ce reprezintă factura electronică. Documentul factură de tip XML cu semnătura de validare atașată, este considerat document original din perspectiva legislativă și este generat prin intermediul sistemului național RO e-Factura.',
  invalid:
    'Fișierele încărcate NU au putut fi validate cu succes, din perspectiva autenticității semnăturii aplicate și a apartenenței acesteia la XML-ul ce reprezintă factura electronică. Documentul factură de tip XML cu semnătura de validare atașată, NU poate fi considerat document original din perspectiva legislativă și NU este generat prin intermediul sistemului național RO e-Factura.',
  technical:
    'Eroare tehnică: request incorect. Cauza: cel puțin unul din documente NU a fost încărcat sau NU este un fisier de tip XML specific facturii electronice.',
} as const;

/** The web-application firewall's page (reported, QUIRKS.md), not the API's format. */
export function firewallPage(supportId: string): string {
  return (
    '<html><head><title>Request Rejected</title></head><body>' +
    'The requested URL was rejected. Please consult with your administrator.<br><br>' +
    `Your support ID is: ${supportId}<br><br>` +
    "<a href='javascript:history.back();'>[Go Back]</a></body></html>"
  );
}
