/**
 * Masked forms of secrets for API and CLI output: enough to recognise which one is meant,
 * never enough to use it.
 */

/** `abcd…wxyz` for long values, `••••` plus at most the last 2 characters for short ones. */
export function mask(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value.length >= 24) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 10) return `••••${value.slice(-2)}`;
  return '••••';
}
