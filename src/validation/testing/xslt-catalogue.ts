/**
 * What the official compiled XSLT contains, read from its text: every rule (pattern, priority,
 * context) and every assert (id, flag, message). The agreement test checks the built-in rules
 * against it (same context at the same priority, same flag, same message) and lists the ids not
 * implemented yet.
 */
import type { PatternId } from '../types.js';

export interface CatalogueAssert {
  id: string;
  flag: string;
  message: string;
}

export interface CatalogueRule {
  pattern: PatternId;
  priority: number;
  context: string;
  asserts: CatalogueAssert[];
}

const MODES: Record<string, PatternId> = { M12: 'UBL-model', M13: 'UBL-syntax', M14: 'Codesmodel', M15: 'ROmodel' };

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function readCatalogue(xslt: string): CatalogueRule[] {
  const rules: CatalogueRule[] = [];
  for (const part of xslt.split('<xsl:template ').slice(1)) {
    const head = /^match="([^"]*)" mode="(M\d+)" priority="(\d+)"/.exec(part);
    if (!head || !MODES[head[2]!]) continue;
    const asserts: CatalogueAssert[] = [];
    for (const a of part.matchAll(
      /<xsl:attribute name="id">([^<]*)<\/xsl:attribute>\s*<xsl:attribute name="flag">([^<]*)<\/xsl:attribute>[\s\S]*?<svrl:text>([\s\S]*?)<\/svrl:text>/g,
    )) {
      // <xsl:value-of select="$RO-CIUS-ID"/> inside a message is rendered by the XSLT; keep a marker.
      // Whitespace-only text between stylesheet instructions is stripped by XSLT; other text stays.
      const message = unescape(
        a[3]!
          .replace(/>\s+</g, '><')
          .replace(/<xsl:text\s*\/>/g, '')
          .replace(/<xsl:value-of select="([^"]*)"\s*\/>/g, '{$1}'),
      )
        .replace(/\s+/g, ' ')
        .trim();
      asserts.push({ id: a[1]!, flag: a[2]!, message });
    }
    rules.push({ pattern: MODES[head[2]!]!, priority: Number(head[3]), context: unescape(head[1]!).trim(), asserts });
  }
  return rules;
}
