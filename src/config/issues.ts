/**
 * Turns validation issues into sentences a person can act on: the dotted key, the value
 * given (secrets hidden), the environment variable behind it, and what is allowed.
 */
import * as z from 'zod';
import { allKeyPaths, allowedText, knownKeys, schemaAt, unwrap, type PathSegment } from './describe.js';
import { sourceOf, valueAt, type Merged } from './layers.js';
import { closestKey } from './suggest.js';

/** Keys whose values must never appear in a message (rule 4: secrets stay secret). */
const SECRET_KEYS = new Set(['token']);

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + String(segment);
  }
  return out === '' ? '(top level)' : out;
}

export function showValue(value: unknown, path: readonly PathSegment[]): string {
  if (SECRET_KEYS.has(String(path.at(-1)))) return '(hidden)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

/** "http.port (set by EFACT_PORT)" when the value came from the environment. */
export function describeKey(merged: Merged, path: readonly PathSegment[]): string {
  const source = sourceOf(merged, path);
  const where = formatPath(path);
  return source?.kind === 'env' ? `${where} (set by ${source.variable})` : where;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function problemOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `is not ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is empty' : 'is too short';
      if (issue.origin === 'array') return `has fewer than ${issue.minimum} items`;
      return issue.inclusive ? `is below the minimum ${issue.minimum}` : `must be above ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `is longer than ${issue.maximum} characters`;
      if (issue.origin === 'array') return `has more than ${issue.maximum} items`;
      return issue.inclusive ? `is above the maximum ${issue.maximum}` : `must be below ${issue.maximum}`;
    case 'invalid_value':
      return 'is not one of the allowed values';
    case 'invalid_format':
      return issue.format === 'url' ? 'is not a valid http:// or https:// address' : `is not a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

function unknownKeyMessages(root: z.ZodType, parent: PathSegment[], keys: string[]): string[] {
  const siblings = knownKeys(root, parent);
  return keys.map((key) => {
    const where = formatPath([...parent, key]);
    const near = closestKey(key, siblings);
    if (near !== null) return `${where}: unknown key (did you mean ${formatPath([...parent, near])}?)`;
    // a right key in the wrong section: "pacingSeconds" at the top instead of under engine
    const elsewhere = allKeyPaths(root).filter((p) => closestKey(key, [String(p.at(-1))]) !== null);
    if (elsewhere.length > 0) {
      return `${where}: unknown key here (did you mean ${elsewhere.map(formatPath).join(' or ')}?)`;
    }
    const known = siblings.length > 0 ? ` (known keys here: ${siblings.join(', ')})` : '';
    return `${where}: unknown key${known}`;
  });
}

/** One or more lines per issue (an unknown-keys issue names each key on its own line). */
export function formatIssue(root: z.ZodType, merged: Merged, issue: z.core.$ZodIssue): string[] {
  const path = issue.path as PathSegment[];
  if (issue.code === 'unrecognized_keys') return unknownKeyMessages(root, path, issue.keys);
  const schema = schemaAt(root, path);
  const key = describeKey(merged, path);
  const value = valueAt(merged.values, path);
  // a custom rule's message already says what is wanted
  if (issue.code === 'custom') return [`${key}: ${showValue(value, path)} ${issue.message}`];
  const allowed = schema === null ? '' : allowedText(schema);
  if (value === undefined) return [`${key}: is missing (required: ${allowed})`];
  let problem = problemOf(issue);
  // zod reports "expected number" for text given to an integer key; say what is really wanted
  const core = schema === null ? null : unwrap(schema).core;
  if (issue.code === 'invalid_type' && core instanceof z.ZodNumber && core.isInt) problem = 'is not a whole number';
  return [`${key}: ${showValue(value, path)} ${problem}${allowed === '' ? '' : ` (allowed: ${allowed})`}`];
}
