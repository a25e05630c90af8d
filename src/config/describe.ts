/**
 * Reads the configuration schema back: which schema sits at a path, which keys an object
 * knows, and a person's wording of what a leaf allows ("a whole number 1..999; the manuals'
 * ServerID"). Keeping ranges only on the schema means messages cannot drift from the rules.
 */
import * as z from 'zod';

export type PathSegment = PropertyKey;

/** One wrapper layer off (default, optional, pipe), or null when there is none. */
function peel(schema: z.ZodType): z.ZodType | null {
  if (
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable
  ) {
    return schema.unwrap() as z.ZodType;
  }
  if (schema instanceof z.ZodPipe) return schema.in as z.ZodType;
  return null;
}

/** The innermost schema, and the notes met on the way in (`.meta({ note })`). */
export function unwrap(schema: z.ZodType): { core: z.ZodType; notes: string[] } {
  const notes: string[] = [];
  let current: z.ZodType | null = schema;
  let core = schema;
  while (current !== null) {
    const meta = current.meta();
    if (typeof meta?.note === 'string' && !notes.includes(meta.note)) notes.push(meta.note);
    core = current;
    current = peel(current);
  }
  return { core, notes };
}

/** The schema describing the value at `path`, or null when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | null {
  let current: z.ZodType = root;
  for (const segment of path) {
    const { core } = unwrap(current);
    if (core instanceof z.ZodObject && typeof segment === 'string') {
      const next = (core.shape as Record<string, z.ZodType>)[segment];
      if (next === undefined) return null;
      current = next;
    } else if (core instanceof z.ZodArray && typeof segment === 'number') {
      current = core.element as z.ZodType;
    } else {
      return null;
    }
  }
  return current;
}

/** Keys the object at `path` accepts (empty when it is not an object). */
export function knownKeys(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const schema = schemaAt(root, path);
  if (schema === null) return [];
  const { core } = unwrap(schema);
  return core instanceof z.ZodObject ? Object.keys(core.shape) : [];
}

/** Every key path in the schema, with array items written as [0] (for misplaced-key hints). */
export function allKeyPaths(root: z.ZodType, prefix: PathSegment[] = []): PathSegment[][] {
  const { core } = unwrap(root);
  if (core instanceof z.ZodArray) return allKeyPaths(core.element as z.ZodType, [...prefix, 0]);
  if (!(core instanceof z.ZodObject)) return [];
  const out: PathSegment[][] = [];
  for (const [key, child] of Object.entries(core.shape as Record<string, z.ZodType>)) {
    out.push([...prefix, key], ...allKeyPaths(child, [...prefix, key]));
  }
  return out;
}

function range(lo: number | null, hi: number | null, unit = ''): string {
  const low = lo !== null && Number.isFinite(lo) && lo > Number.MIN_SAFE_INTEGER ? lo : null;
  const high = hi !== null && Number.isFinite(hi) && hi < Number.MAX_SAFE_INTEGER ? hi : null;
  if (low !== null && high !== null) return ` ${low}..${high}${unit}`;
  if (low !== null) return ` ≥ ${low}${unit}`;
  if (high !== null) return ` ≤ ${high}${unit}`;
  return '';
}

/** What the leaf allows, in words, e.g. "a whole number 5..30; the manuals' MinuteTimeOut". */
export function allowedText(schema: z.ZodType): string {
  const { core, notes } = unwrap(schema);
  let what: string;
  if (core instanceof z.ZodNumber) {
    what = (core.isInt ? 'a whole number' : 'a number') + range(core.minValue, core.maxValue);
  } else if (core instanceof z.ZodBoolean) {
    what = 'true or false';
  } else if (core instanceof z.ZodEnum) {
    what = 'one of ' + core.options.map(String).join(', ');
  } else if (core instanceof z.ZodURL) {
    what = 'a URL';
  } else if (core instanceof z.ZodString) {
    what = core.minLength === 1 && core.maxLength === null ? 'non-empty text' : 'text';
    if (core.maxLength !== null) what += ' of' + range(core.minLength, core.maxLength, ' characters');
  } else if (core instanceof z.ZodObject) {
    what = 'a mapping with the keys ' + Object.keys(core.shape).join(', ');
  } else if (core instanceof z.ZodArray) {
    what = 'a list';
  } else {
    what = 'see the documentation';
  }
  return [what, ...notes].join('; ');
}
