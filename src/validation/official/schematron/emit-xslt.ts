/**
 * The concrete Schematron model as an XSLT 2.0 stylesheet that writes SVRL.
 *
 * Each pattern is a mode walked over the whole document (elements and attributes). Each rule is a
 * template of that mode, with priorities falling in document order, so that where several rules of
 * one pattern match a node only the first fires (ISO/IEC 19757-3 §6.5: a node is the context of at
 * most one rule per pattern; ANAF's bundle relies on it). Rule templates and the mode's fallback
 * both carry on to the node's attributes and child elements. Lets become xsl:variables: schema,
 * phase and pattern lets global, rule lets local. Locations are written as full paths
 * (`/*:Invoice[namespace-uri()='…'][1]/…`, attributes as `@name`), the form svrl.ts resolves.
 */
import type { XmlElement } from '../../../xml/parse.js';
import type { Check, MessagePart, Rule, SchemaModel } from './model.js';
import { schError } from './load.js';

const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';
const SVRL_NS = 'http://purl.oclc.org/dsdl/svrl';
const XS_NS = 'http://www.w3.org/2001/XMLSchema';
/** Our own helper function's namespace; a prefix no schema is expected to bind. */
const OWN_PREFIX = 'efsch';
const OWN_NS = 'urn:efact:schematron-compiler';

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function escapeText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** A literal result element's attribute is an attribute value template: braces must be doubled. */
function escapeAvt(v: string): string {
  return escapeAttr(v.replace(/\{/g, '{{').replace(/\}/g, '}}'));
}

/** An xsl:function or xsl:key from the schema, written back as XSLT. */
function serializeXsl(el: XmlElement): string {
  if (el.ns !== XSL_NS) throw schError(`line ${el.line}`, `element {${el.ns}}${el.name} inside an xsl:function/xsl:key is not supported`);
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  const body = (el.content ?? el.children).map((p) => (typeof p === 'string' ? escapeText(p) : serializeXsl(p))).join('');
  return `<xsl:${el.name}${attrs}>${body}</xsl:${el.name}>`;
}

const LOCATION_FUNCTION = `
<xsl:function name="${OWN_PREFIX}:path" as="xs:string">
  <xsl:param name="n" as="node()"/>
  <xsl:sequence select="if ($n instance of document-node()) then '/' else string-join((
      for $e in $n/ancestor-or-self::* return concat('/', ${OWN_PREFIX}:step($e)),
      if ($n instance of attribute()) then concat('/@', if (namespace-uri($n) = '') then local-name($n)
        else concat('*[local-name()=''', local-name($n), ''' and namespace-uri()=''', namespace-uri($n), ''']')) else ()), '')"/>
</xsl:function>
<xsl:function name="${OWN_PREFIX}:step" as="xs:string">
  <xsl:param name="e" as="element()"/>
  <xsl:variable name="pos" select="1 + count($e/preceding-sibling::*[local-name() = local-name($e) and namespace-uri() = namespace-uri($e)])"/>
  <xsl:sequence select="if (namespace-uri($e) = '') then concat(local-name($e), '[', $pos, ']')
      else concat('*:', local-name($e), '[namespace-uri()=''', namespace-uri($e), '''][', $pos, ']')"/>
</xsl:function>`;

function emitMessage(parts: MessagePart[]): string {
  return parts
    .map((p) => {
      if ('text' in p) return p.text === '' ? '' : `<xsl:text>${escapeText(p.text)}</xsl:text>`;
      if ('name' in p) return `<xsl:value-of select="name(${escapeAttr(p.name)})"/>`;
      return `<xsl:value-of select="${escapeAttr(p.valueOf)}"/>`;
    })
    .join('');
}

function emitCheck(c: Check): string {
  const element = c.kind === 'assert' ? 'svrl:failed-assert' : 'svrl:successful-report';
  const condition = c.kind === 'assert' ? `not(${c.test})` : `(${c.test})`;
  const location = c.subject !== undefined ? `${OWN_PREFIX}:path(((${c.subject}), .)[1])` : `${OWN_PREFIX}:path(.)`;
  const attrs = [
    ` test="${escapeAvt(c.test)}"`,
    c.id !== undefined ? ` id="${escapeAvt(c.id)}"` : '',
    c.flag !== undefined ? ` flag="${escapeAvt(c.flag)}"` : '',
    c.role !== undefined ? ` role="${escapeAvt(c.role)}"` : '',
    ` location="{${escapeAttr(location)}}"`,
  ].join('');
  return `
    <xsl:if test="${escapeAttr(condition)}"><${element}${attrs}><svrl:text>${emitMessage(c.message)}</svrl:text></${element}></xsl:if>`;
}

function emitRule(r: Rule, mode: string, priority: number): string {
  const fired = [
    ` context="${escapeAvt(r.context)}"`,
    r.id !== undefined ? ` id="${escapeAvt(r.id)}"` : '',
    r.role !== undefined ? ` role="${escapeAvt(r.role)}"` : '',
  ].join('');
  const lets = r.lets.map((l) => `
    <xsl:variable name="${escapeAttr(l.name)}" select="${escapeAttr(l.value)}"/>`).join('');
  // A rule's subject (ISO 2016) is the default subject of its checks.
  const checks = r.checks.map((c) => emitCheck(c.subject === undefined && r.subject !== undefined ? { ...c, subject: r.subject } : c)).join('');
  return `
  <xsl:template match="${escapeAttr(r.context)}" mode="${mode}" priority="${priority}">
    <svrl:fired-rule${fired}/>${lets}${checks}
    <xsl:apply-templates select="@*|*" mode="${mode}"/>
  </xsl:template>`;
}

export function emitXslt(model: SchemaModel): string {
  const prefixes = new Map<string, string>();
  for (const { prefix, uri } of model.ns) {
    const seen = prefixes.get(prefix);
    if (seen !== undefined && seen !== uri) throw schError('ns', `prefix '${prefix}' is bound to both ${seen} and ${uri}`);
    if ((prefix === 'xsl' && uri !== XSL_NS) || (prefix === 'svrl' && uri !== SVRL_NS) || prefix === OWN_PREFIX) {
      throw schError('ns', `prefix '${prefix}' is reserved by the compiled stylesheet`);
    }
    prefixes.set(prefix, uri);
  }
  if (!prefixes.has('xs')) prefixes.set('xs', XS_NS);
  const nsDecls = [...prefixes]
    .filter(([p]) => p !== 'xsl' && p !== 'svrl')
    .map(([p, u]) => ` xmlns:${p}="${escapeAttr(u)}"`)
    .join('');

  // Global lets: schema, phase, then each active pattern's. XSLT allows one global per name.
  const globals = new Map<string, string>();
  for (const l of [...model.lets, ...model.patterns.flatMap((p) => p.lets)]) {
    const seen = globals.get(l.name);
    if (seen !== undefined && seen !== l.value) throw schError('let', `variable '${l.name}' is defined twice at schema/phase/pattern level with different values`);
    globals.set(l.name, l.value);
  }

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by Efact's Schematron compiler from the schema${model.title ? ` "${escapeText(model.title).replace(/--/g, '- -')}"` : ''}, phase ${escapeText(model.phase)}. Do not edit. -->
<xsl:stylesheet version="2.0" xmlns:xsl="${XSL_NS}" xmlns:svrl="${SVRL_NS}" xmlns:${OWN_PREFIX}="${OWN_NS}"${nsDecls} exclude-result-prefixes="#all">
<xsl:output method="xml" indent="no" encoding="UTF-8"/>`);
  for (const [name, value] of globals) out.push(`<xsl:variable name="${escapeAttr(name)}" select="${escapeAttr(value)}"/>`);
  for (const el of model.xslt) out.push(serializeXsl(el));
  out.push(LOCATION_FUNCTION);

  const svrlNs = [...model.ns].map((n) => `<svrl:ns-prefix-in-attribute-values prefix="${escapeAvt(n.prefix)}" uri="${escapeAvt(n.uri)}"/>`).join('');
  const runs = model.patterns
    .map((p, i) => {
      const attrs = [p.id !== undefined ? ` id="${escapeAvt(p.id)}"` : '', p.name !== undefined ? ` name="${escapeAvt(p.name)}"` : ''].join('');
      return `
    <svrl:active-pattern${attrs}/>
    <xsl:apply-templates select="/" mode="p${i + 1}"/>`;
    })
    .join('');
  const outputAttrs = [
    model.title !== undefined ? ` title="${escapeAvt(model.title)}"` : '',
    model.schemaVersion !== undefined ? ` schemaVersion="${escapeAvt(model.schemaVersion)}"` : '',
    model.phase !== '#ALL' ? ` phase="${escapeAvt(model.phase)}"` : '',
  ].join('');
  out.push(`
<xsl:template match="/">
  <svrl:schematron-output${outputAttrs}>${svrlNs}${runs}
  </svrl:schematron-output>
</xsl:template>`);

  model.patterns.forEach((p, i) => {
    const mode = `p${i + 1}`;
    out.push(`\n<!-- pattern ${escapeText(p.id ?? String(i + 1)).replace(/--/g, '- -')} -->`);
    const n = p.rules.length;
    p.rules.forEach((r, j) => out.push(emitRule(r, mode, n - j)));
    // Nodes no rule of this pattern matches: walk on. Below every rule (their priorities are ≥ 1).
    out.push(`
  <xsl:template match="/ | * | @*" mode="${mode}" priority="-10">
    <xsl:apply-templates select="@*|*" mode="${mode}"/>
  </xsl:template>`);
  });
  out.push('\n</xsl:stylesheet>\n');
  return out.join('\n');
}
