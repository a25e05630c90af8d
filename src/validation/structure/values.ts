/**
 * Lexical checks of the xsd built-ins UBL leaves use (XML Schema 1.0 part 2), after the
 * whitespace collapsing those types apply. Strings (text, codes, identifiers) accept any text.
 */
import type { ValueType } from './model.js';

/** XML whitespace only (not the wider \s). */
function collapseEnds(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const BOOLEAN = /^(?:true|false|1|0)$/;
const DATE = /^(-?)(\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const DATE_TIME = /^(-?)(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function validYearMonthDay(yearText: string, month: number, day: number): boolean {
  // xsd:date (1.0): no year 0000, no leading zero beyond four digits.
  if (/^0+$/.test(yearText) || (yearText.length > 4 && yearText.startsWith('0'))) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const y = Number(yearText);
  const days = month === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

function validZone(tz: string | undefined): boolean {
  if (tz === undefined || tz === 'Z') return true;
  const h = Number(tz.slice(1, 3));
  const m = Number(tz.slice(4, 6));
  return m <= 59 && (h < 14 || (h === 14 && m === 0));
}

function validClock(h: number, m: number, s: number, frac: string | undefined): boolean {
  if (h === 24) return m === 0 && s === 0 && (frac === undefined || /^\.0+$/.test(frac));
  return h <= 23 && m <= 59 && s <= 59;
}

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  return m !== null && validYearMonthDay(m[2]!, Number(m[3]), Number(m[4])) && validZone(m[5]);
}

function isTime(v: string): boolean {
  const m = TIME.exec(v);
  return m !== null && validClock(Number(m[1]), Number(m[2]), Number(m[3]), m[4]) && validZone(m[5]);
}

function isDateTime(v: string): boolean {
  const m = DATE_TIME.exec(v);
  return (
    m !== null &&
    validYearMonthDay(m[2]!, Number(m[3]), Number(m[4])) &&
    validClock(Number(m[5]), Number(m[6]), Number(m[7]), m[8]) &&
    validZone(m[9])
  );
}

/** base64Binary: groups of four, '=' padding only at the end, and the bits before it zero. */
function isBase64(v: string): boolean {
  const s = /[ \t\r\n]/.test(v) ? v.replace(/[ \t\r\n]+/g, '') : v;
  if (s.length % 4 !== 0 || !BASE64_CHARS.test(s)) return false;
  if (s.endsWith('==')) return 'AQgw'.includes(s.charAt(s.length - 3));
  if (s.endsWith('=')) return 'AEIMQUYcgkosw048'.includes(s.charAt(s.length - 2));
  return true;
}

/** Whether `text` is a valid lexical value of the type; strings always are. */
export function validValue(type: ValueType, text: string): boolean {
  switch (type) {
    case 'xsd:string':
    case 'xsd:normalizedString':
      return true;
    case 'xsd:decimal':
      return DECIMAL.test(collapseEnds(text));
    case 'xsd:boolean':
      return BOOLEAN.test(collapseEnds(text));
    case 'xsd:date':
      return isDate(collapseEnds(text));
    case 'xsd:time':
      return isTime(collapseEnds(text));
    case 'xsd:dateTime':
      return isDateTime(collapseEnds(text));
    case 'xsd:base64Binary':
      return isBase64(text);
  }
}

/** What a valid value looks like, for messages. */
export const EXPECTED_VALUE: Record<ValueType, string> = {
  'xsd:decimal': 'a decimal number such as 1234.56 (no thousands separator, no exponent)',
  'xsd:boolean': 'true or false',
  'xsd:date': 'a calendar date YYYY-MM-DD',
  'xsd:time': 'a time hh:mm:ss',
  'xsd:dateTime': 'a date and time YYYY-MM-DDThh:mm:ss',
  'xsd:base64Binary': 'base64 content',
  'xsd:string': 'text',
  'xsd:normalizedString': 'text',
};
