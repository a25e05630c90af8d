/**
 * Romanian fiscal codes (CIF / CUI): up to 10 digits, the last one a check digit computed
 * with the key 753217532 (ANAF's published algorithm). A leading "RO" marks VAT registration;
 * ANAF's API wants the digits alone.
 */
const KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

/** Strips an optional RO prefix and spaces; returns null when the rest is not 2–10 digits. */
export function normalizeCif(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/\s+/g, '');
  const digits = s.startsWith('RO') ? s.slice(2) : s;
  return /^\d{2,10}$/.test(digits) ? digits : null;
}

export function cifCheckDigit(body: string): number {
  const padded = body.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * KEY[i]!;
  const r = (sum * 10) % 11;
  return r === 10 ? 0 : r;
}

/** True when the CIF (with or without RO) has a valid check digit. */
export function isValidCif(input: string): boolean {
  const digits = normalizeCif(input);
  if (digits === null) return false;
  const body = digits.slice(0, -1);
  return cifCheckDigit(body) === Number(digits.at(-1));
}

/** Builds a valid CIF from a body of up to 9 digits (used by the demo and tests). */
export function makeCif(body: string): string {
  return body + String(cifCheckDigit(body));
}
