/**
 * ANAF's own words: namespaces, attribute names, states, message types and the Romanian
 * texts Efact recognises. One place, so the client and the sandbox speak exactly the same
 * language. Texts are ANAF's spelling, typos included (they are what the wire carries).
 */

/** Hosts. `api` takes OAuth bearer tokens; `public` needs no credentials (validation, PDF, signature). */
export const ANAF_API_BASE_URL = 'https://api.anaf.ro';
export const ANAF_PUBLIC_BASE_URL = 'https://webservicesp.anaf.ro';
/** Same services as the api host, authenticated with a qualified certificate instead of OAuth. */
export const ANAF_CERTIFICATE_BASE_URL = 'https://webserviceapl.anaf.ro';

/** Path pieces: `{base}/{test|prod}/FCTEL/rest/{service}`. */
export const ANAF_REST_PREFIX = 'FCTEL/rest';
export const ANAF_SIGNATURE_PATH = 'api/validate/signature';

// ---- XML namespaces -------------------------------------------------------------------------

/** Upload answer: `<header ExecutionStatus index_incarcare dateResponse>`. */
export const NS_UPLOAD_RESPONSE = 'mfp:anaf:dgti:spv:respUploadFisier:v1';
/** Status answer: `<header stare id_descarcare>`. */
export const NS_STATUS_RESPONSE = 'mfp:anaf:dgti:efactura:stareMesajFactura:v1';
/** Error document inside a NOK answer ZIP. NOTE: "Factuta" is ANAF's spelling. */
export const NS_ERROR_DOCUMENT = 'mfp:anaf:dgti:efactura:mesajEroriFactuta:v1';
/** Buyer message (RASP) upload body. */
export const NS_BUYER_MESSAGE_REQUEST = 'mfp:anaf:dgti:spv:reqMesaj:v1';
/** XML digital signature (the `semnatura_<id>.xml` file). */
export const NS_XMLDSIG = 'http://www.w3.org/2000/09/xmldsig#';

// ---- XML element and attribute names --------------------------------------------------------

export const XML_HEADER = 'header';
export const XML_ERRORS = 'Errors';
/** The error document uses `Error` where the other answers use `Errors`. */
export const XML_ERROR = 'Error';
export const ATTR_ERROR_MESSAGE = 'errorMessage';
export const ATTR_EXECUTION_STATUS = 'ExecutionStatus';
export const ATTR_UPLOAD_INDEX = 'index_incarcare';
export const ATTR_DATE_RESPONSE = 'dateResponse';
export const ATTR_STATE = 'stare';
export const ATTR_DOWNLOAD_ID = 'id_descarcare';
/** NOTE: the error document capitalises its attributes, unlike every other answer. */
export const ATTR_ERROR_DOC_UPLOAD_INDEX = 'Index_incarcare';
export const ATTR_ERROR_DOC_ISSUER_CIF = 'Cif_emitent';

export const EXECUTION_STATUS_OK = '0';
export const EXECUTION_STATUS_ERROR = '1';

// ---- states (`stare`) ----------------------------------------------------------------------------

export const STATE_OK = 'ok';
export const STATE_NOK = 'nok';
/** NOTE: also seen capitalised ("In prelucrare"); compare after folding case and spaces. */
export const STATE_PROCESSING = 'in prelucrare';
/** The file never entered processing: there is nothing to download. */
export const STATE_REJECTED = 'XML cu erori nepreluat de sistem';

// ---- JSON field names --------------------------------------------------------------------------

export const JSON_ERROR = 'eroare';
export const JSON_TITLE = 'titlu';
export const JSON_MESSAGES = 'mesaje';
export const JSON_VALIDATION_MESSAGES = 'Messages';
export const JSON_TRACE_ID = 'trace_id';
export const JSON_SIGNATURE_MESSAGE = 'msg';

/** Paging fields of `listaMesajePaginatieFactura`. */
export const JSON_PAGE_COUNT = 'numar_inregistrari_in_pagina';
export const JSON_PAGE_SIZE = 'numar_total_inregistrari_per_pagina';
export const JSON_TOTAL_COUNT = 'numar_total_inregistrari';
export const JSON_TOTAL_PAGES = 'numar_total_pagini';
export const JSON_CURRENT_PAGE = 'index_pagina_curenta';
/** ANAF pages hold at most this many messages; the simple list refuses more. */
export const LIST_PAGE_LIMIT = 500;

// ---- message types (`tip`) -------------------------------------------------------------------

export const TIP_INVOICE_SENT = 'FACTURA TRIMISA';
export const TIP_INVOICE_RECEIVED = 'FACTURA PRIMITA';
export const TIP_INVOICE_ERRORS = 'ERORI FACTURA';
export const TIP_BUYER_MESSAGE_RECEIVED = 'MESAJ CUMPARATOR PRIMIT';
export const TIP_BUYER_MESSAGE_SENT = 'MESAJ CUMPARATOR TRANSMIS';

/** Upload flag value: every optional flag is sent as `=DA`. */
export const FLAG_YES = 'DA';

// ---- message texts -----------------------------------------------------------------------------
// Prefixes and fragments as ANAF writes them; the classifier compares them after folding
// case, diacritics and whitespace (see classify.ts).

/** Daily quota family: "S-au facut deja 10 descarcari de mesaj in cursul zilei", "S-au incarcat deja 1000 de mesaje de tip RASP pentru cui=1234 in cursul zile". */
export const QUOTA_PATTERN = /s-au (?:facut|incarcat) deja (\d+)\b.*\bin cursul zilei?\b/;
export const TEXT_QUOTA_DOWNLOADS = 'S-au facut deja 10 descarcari de mesaj in cursul zilei';
export const TEXT_QUOTA_LISTS = 'S-au facut deja 1000 interogari de lista mesaje de catre utilizator in cursul zilei';
/** NOTE: "zile", not "zilei" — ANAF's text. */
export const TEXT_QUOTA_RASP = 'S-au incarcat deja 1000 de mesaje de tip RASP pentru cui=';

/** No SPV rights for the CIF ("Nu aveti drept in SPV pentru CIF=1234"). */
export const TEXT_NO_RIGHTS_FOR_CIF = 'Nu aveti drept in SPV pentru CIF=';
/** No rights at all. NOTE: the status answer spells it "petru". */
export const TEXT_NO_RIGHTS_ANY = 'Nu exista niciun CIF pentru care sa aveti drept in SPV';
/** NOTE: "inteorgare" is ANAF's spelling. */
export const TEXT_NO_RIGHTS_STATUS = 'Nu aveti dreptul de inteorgare pentru id_incarcare=';
export const TEXT_NO_RIGHTS_DOWNLOAD = 'Nu aveti dreptul sa descarcati acesta factura';

export const TEXT_TECHNICAL_ERROR = 'A aparut o eroare tehnica';

export const TEXT_INVALID_FILE = 'Fisierul transmis nu este valid.';
export const TEXT_SAX_PARSE = 'SAXParseException';
export const TEXT_UPLOAD_TOO_LARGE = 'Marime fisier transmis mai mare de 10 MB.';
export const TEXT_VALIDATION_TOO_LARGE = 'Marime fisier transmis mai mare de 5 MB.';
export const TEXT_NO_FILE_ATTACHED = 'Trebuie sa aveti atasat in request un fisier de tip xml';

export const TEXT_ACCEPTED_VALUES = 'Valorile acceptate pentru parametrul';
export const TEXT_CIF_NOT_A_NUMBER = 'nu este un numar';
export const TEXT_FLAG_ONLY_DA = 'valoarea acceptata este DA';
export const TEXT_NOT_IN_ENFORCEMENT_REGISTER = 'nu este inregistrat in Registrul RO e-Factura executari silite';
/** "Parametrul id este obligatoriu", "Parametrii zile si cif sunt obligatorii" (folded text). */
export const MANDATORY_PARAMETERS_PATTERN = /^parametr(?:ul|ii)\b.*\bobligatori/;
export const TEXT_DAYS_RANGE = 'Numarul de zile trebuie sa fie intre 1 si 60';

export const TEXT_NO_INVOICE_FOR_UPLOAD = 'Nu exista factura cu id_incarcare=';
/** "Pentru id=21 nu exista inregistrata nici o factura". */
export const TEXT_NO_INVOICE_FOR_ID = 'nu exista inregistrata nici o factura';
export const TEXT_EXPIRED = 'a trecut perioada de 60 de zile';
/** Reported in error documents when the same invoice was uploaded twice: "Factura a mai fost transmisa anterior cu index=...". */
export const TEXT_DUPLICATE_UPLOAD = 'Factura a mai fost transmisa anterior';

/** "Nu exista mesaje in ultimele 15 zile" / "... in intervalul selectat": an empty list. */
export const TEXT_NO_MESSAGES = 'Nu exista mesaje';
export const TEXT_LIST_TOO_LONG = 'Lista de mesaje este mai mare decat numarul de 500 elemente permise in pagina. Folositi endpoint-ul cu paginatie.';
/** NOTE: "toatal" is ANAF's spelling. */
export const PAGE_BEYOND_TOTAL_PATTERN = /pagina solicitata (\d+) este mai mare decat numarul (?:toatal|total) de pagini (\d+)/;
export const TEXT_START_TOO_OLD = 'nu poate fi mai vechi de 60 de zile';
export const TEXT_END_IN_FUTURE = 'nu poate in viitor';
export const TEXT_END_BEFORE_START = 'nu poate fi <= startTime';

/** Signature check answers. */
export const TEXT_SIGNATURE_VALID = 'au fost validate cu succes';
export const TEXT_SIGNATURE_INVALID = 'NU au putut';

/** Web-application firewall page reported instead of the API's answer. */
export const TEXT_FIREWALL_REJECTED = 'The requested URL was rejected';

// ---- `detalii` of message list entries -----------------------------------------------------------

/** "Factura cu id_incarcare=N emisa de cif_emitent=X pentru cif_beneficiar=Y". */
export const DETAILS_INVOICE_PATTERN = /id_incarcare\s*=\s*(\S+)\s+emisa\s+de\s+cif_emitent\s*=\s*(\S+)\s+pentru\s+cif_beneficiar\s*=\s*(\S+)/i;
/** NOTE: "autofactutra" and the double space are ANAF's: "... transmisa de cif=X  ca autofactutra in numele cif=Y". */
export const DETAILS_SELF_BILLED_PATTERN = /id_incarcare\s*=\s*(\S+)\s+transmisa\s+de\s+cif\s*=\s*(\S+)\s+ca\s+autofactu\w*\s+in\s+numele\s+cif\s*=\s*(\S+)/i;
/** "Erori de validare identificate la factura primita|transmisa cu id_incarcare=N". */
export const DETAILS_ERRORS_PATTERN = /erori\s+de\s+validare\s+identificate\s+la\s+factura\s+(primita|transmisa)\s+cu\s+id_incarcare\s*=\s*(\S+)/i;

// ---- answer ZIP --------------------------------------------------------------------------------

export const SIGNATURE_FILE_PREFIX = 'semnatura_';
