/**
 * Configuration comes in layers (file, then environment, then the caller's overrides), each
 * unvalidated. They are merged before validation, remembering which layer gave each value,
 * so that an error can name the environment variable behind it and a relative path can be
 * resolved against the right folder.
 */
import type { PathSegment } from './describe.js';

export type Source =
  | { kind: 'file'; file: string }
  | { kind: 'env'; variable: string }
  | { kind: 'override' };

export interface Layer {
  source: Source;
  values: Record<string, unknown>;
}

export interface Merged {
  values: Record<string, unknown>;
  /** Which layer last set a value, by path key (see `pathKey`); lists count as one value. */
  sources: Map<string, Source>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join('\u0000');
}

function mergeInto(
  target: Record<string, unknown>,
  values: Record<string, unknown>,
  source: Source,
  prefix: PathSegment[],
  sources: Map<string, Source>,
): void {
  for (const [key, value] of Object.entries(values)) {
    // an unset CLI option arrives as undefined: it must not erase what a file said
    if (value === undefined) continue;
    const path = [...prefix, key];
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value, source, path, sources);
    } else if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      target[key] = copy;
      mergeInto(copy, value, source, path, sources);
    } else {
      target[key] = value;
      sources.set(pathKey(path), source);
    }
  }
}

/** Later layers win, key by key; lists and plain values are replaced whole. */
export function mergeLayers(layers: readonly Layer[]): Merged {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, Source>();
  for (const layer of layers) mergeInto(values, layer.values, layer.source, [], sources);
  return { values, sources };
}

/** The layer that gave the value at `path` (or its nearest ancestor), undefined for defaults. */
export function sourceOf(merged: Merged, path: readonly PathSegment[]): Source | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = merged.sources.get(pathKey(path.slice(0, n)));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The raw value at `path`, undefined when absent. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
