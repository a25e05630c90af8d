import { describe, expect, it } from 'vitest';
import { anafTextError, classifyAnafText, classifyAnafTexts, type AnafReason } from './classify.js';
import { nextAnafDayStart } from './time.js';

const cases: Array<[string, AnafReason]> = [
  // the quota family, as ANAF writes it and as integrators reported it
  ['S-au facut deja 10 descarcari de mesaj in cursul zilei', 'quota'],
  ['S-au facut deja 20 descarcari de mesaj in cursul zilei', 'quota'],
  ['S-au facut deja 1000 interogari de lista mesaje de catre utilizator in cursul zilei', 'quota'],
  ['S-au incarcat deja 1000 de mesaje de tip RASP pentru cui=1234 in cursul zile', 'quota'],
  ['S-au facut deja 10 descarcari la mesajul cu id_descarcare=3001474425 in cursul zilei', 'quota'],
  ['S-au facut deja 1500 de interogari de tip lista mesaje  de catre CUI=8000000000 in cursul zilei', 'quota'],
  ['S-au făcut deja 100 interogări de stare in\u00a0cursul zilei', 'quota'],
  // rights
  ['Nu aveti drept in SPV pentru CIF=1234', 'no-rights'],
  ['Nu exista niciun CIF pentru care sa aveti drept in SPV', 'no-rights'],
  ['Nu exista niciun CIF petru care sa aveti drept', 'no-rights'],
  ['Nu aveti dreptul de inteorgare pentru id_incarcare= 18', 'no-rights'],
  ['Nu aveti dreptul sa descarcati acesta factura', 'no-rights'],
  ['Nu aveți drept în SPV pentru CIF=1234', 'no-rights'],
  // ANAF's fault
  ['A aparut o eroare tehnica. Cod: XXX', 'technical'],
  ['A apărut o eroare tehnică. Cod: 500', 'technical'],
  // the invoice's fault
  ["Fisierul transmis nu este valid. org.xml.sax.SAXParseException; lineNumber: 15; columnNumber: 155; cvc-elt.1.a: Cannot find the declaration of element 'Invoice1'. ", 'invalid-file'],
  ['org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: 1; Content is not allowed in prolog.', 'invalid-file'],
  ['Marime fisier transmis mai mare de 10 MB.', 'too-large'],
  // Efact's fault
  ['Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP', 'bad-parameter'],
  ['CIF introdus= 123a nu este un numar', 'bad-parameter'],
  ['Daca parametrul autofacturare trebuie completat, valoarea acceptata este DA', 'bad-parameter'],
  ['CIF introdus= 1234 nu este inregistrat in Registrul RO e-Factura executari silite', 'bad-parameter'],
  ['Parametrul id este obligatoriu', 'bad-parameter'],
  ['Parametrii zile si cif sunt obligatorii', 'bad-parameter'],
  ['Trebuie sa aveti atasat in request un fisier de tip xml', 'bad-parameter'],
  ['Numarul de zile trebuie sa fie intre 1 si 60', 'bad-parameter'],
  // unknown ids, retention
  ['Nu exista factura cu id_incarcare= 15000', 'not-found'],
  ['Pentru id=21 nu exista inregistrata nici o factura', 'not-found'],
  ['Pentru id=21 a trecut perioada de 60 de zile de la emitere', 'expired'],
  // lists
  ['Nu exista mesaje in ultimele 15 zile', 'no-messages'],
  ['Nu exista mesaje in intervalul selectat', 'no-messages'],
  ['Lista de mesaje este mai mare decat numarul de 500 elemente permise in pagina. Folositi endpoint-ul cu paginatie.', 'too-many-use-paged'],
  ['Pagina solicitata 50 este mai mare decat numarul toatal de pagini 29', 'page-beyond-total'],
  // something new
  ['Serviciul este suspendat temporar', 'unrecognised'],
];

describe('classifyAnafText', () => {
  it.each(cases)('%s → %s', (text, reason) => {
    expect(classifyAnafText(text).reason).toBe(reason);
  });

  it('reads the numbers in the text', () => {
    expect(classifyAnafText('S-au facut deja 10 descarcari de mesaj in cursul zilei').facts).toEqual({ limit: 10 });
    expect(classifyAnafText('Pagina solicitata 50 este mai mare decat numarul toatal de pagini 29').facts).toEqual({ page: 50, totalPages: 29 });
  });

  it('lets the most constraining text decide among several', () => {
    expect(classifyAnafTexts(['Fisierul transmis nu este valid.', 'S-au facut deja 10 descarcari de mesaj in cursul zilei']).reason).toBe('quota');
    expect(classifyAnafTexts([]).reason).toBe('unrecognised');
  });
});

describe('anafTextError', () => {
  const now = new Date('2026-03-29T20:30:00Z');

  it('keeps ANAF text verbatim and sets quota retryAt to the next Bucharest midnight', () => {
    const e = anafTextError(['S-au facut deja 10 descarcari de mesaj in cursul zilei'], { endpoint: 'descarcare', httpStatus: 200, now });
    expect(e.code).toBe('PLATFORM_QUOTA');
    expect(e.kind).toBe('quota');
    expect(e.platformMessage).toBe('S-au facut deja 10 descarcari de mesaj in cursul zilei');
    expect(e.httpStatus).toBe(200);
    expect(e.endpoint).toBe('descarcare');
    expect(e.retryAt).toEqual(nextAnafDayStart(now));
    expect(e.details).toMatchObject({ reason: 'quota', limit: 10 });
  });

  it('maps reasons to kinds', () => {
    const kind = (text: string): string => anafTextError([text], { endpoint: 'upload', httpStatus: 200, now }).kind;
    expect(kind('Nu aveti drept in SPV pentru CIF=1')).toBe('auth');
    expect(kind('A aparut o eroare tehnica. Cod: 1')).toBe('retryable');
    expect(kind('Fisierul transmis nu este valid.')).toBe('permanent');
    expect(kind('Parametrul id este obligatoriu')).toBe('permanent');
  });

  it('lets the caller choose the code for unknown texts', () => {
    const e = anafTextError(['Ceva nou'], { endpoint: 'upload', httpStatus: 400, now }, { unrecognised: 'PLATFORM_BAD_REQUEST' });
    expect(e.code).toBe('PLATFORM_BAD_REQUEST');
    expect(e.details?.reason).toBe('unrecognised');
  });
});
