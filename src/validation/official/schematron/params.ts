/**
 * Abstract-pattern parameters (ISO/IEC 19757-3 §6.3): an instance pattern (is-a) gives each
 * parameter a value, substituted as text for `$name` in the abstract pattern's expressions.
 * A reference is a whole XPath variable name — `$BR-CO-2` does not touch `$BR-CO-25` — and
 * string literals are left alone, so a regex ending in `$'` or a literal '$x' stays as written.
 */

// XPath NCName characters, close enough: letters/digits of any script, '_', '-', '.', and marks.
const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{N}\p{M}_.\-·]/u;

/** Substitutes `$name` references in an XPath expression; names not in `params` stay as they are. */
export function substituteParams(expr: string, params: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (ch === "'" || ch === '"') {
      // A literal runs to the next same quote; a doubled quote is an escaped one and just starts the next literal.
      const end = expr.indexOf(ch, i + 1);
      const stop = end === -1 ? expr.length : end + 1;
      out += expr.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '$' && i + 1 < expr.length && NAME_START.test(expr[i + 1]!)) {
      let j = i + 2;
      while (j < expr.length && NAME_CHAR.test(expr[j]!)) j++;
      // XPath allows a prefixed variable name ($p:local): keep the whole QName together.
      if (expr[j] === ':' && j + 1 < expr.length && NAME_START.test(expr[j + 1]!)) {
        j += 2;
        while (j < expr.length && NAME_CHAR.test(expr[j]!)) j++;
      }
      const name = expr.slice(i + 1, j);
      const value = params.get(name);
      out += value ?? expr.slice(i, j);
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** For non-XPath attributes (flag, role, id…): whole-name substitution without literal handling. */
export function substituteParamsInText(text: string, params: ReadonlyMap<string, string>): string {
  return text.replace(/\$([\p{L}_][\p{L}\p{N}\p{M}_.\-·]*)/gu, (m, name: string) => params.get(name) ?? m);
}
