/**
 * Reading SVRL (Schematron Validation Report Language) into Findings: each failed-assert (and
 * successful-report, should a bundle use them) gives rule id, flag → severity, text, location.
 * Locations come in Schematron's verbose form (/*:Invoice[namespace-uri()='…'][1]/*:X[…][2]);
 * they are resolved against the parsed invoice so official findings carry the same short XPath
 * and the line number the built-in ones do.
 */
import { parseXml, type XmlElement } from '../../xml/parse.js';
import { locationOf, lineOf, type InvoiceDocument, type XElement, type XNode } from '../model/document.js';
import { clark } from '../model/namespaces.js';
import type { Finding, Severity } from '../types.js';

const SVRL_NS = 'http://purl.oclc.org/dsdl/svrl';

export interface SvrlAssert {
  id: string;
  flag: string;
  text: string;
  /** The location as the SVRL gives it. */
  rawLocation: string;
}

export function readSvrl(svrl: string): SvrlAssert[] {
  // The report is our own transform's output, but may be large; allow up to 64 MB.
  const root = parseXml(svrl, { maxBytes: 64 * 1024 * 1024 });
  const out: SvrlAssert[] = [];
  const walk = (el: XmlElement): void => {
    for (const c of el.children) {
      if (c.ns === SVRL_NS && (c.name === 'failed-assert' || c.name === 'successful-report')) {
        const text = c.children.find((t) => t.ns === SVRL_NS && t.name === 'text');
        out.push({
          id: c.attrs['id'] ?? '',
          flag: c.attrs['flag'] ?? '',
          text: (text?.text ?? '').replace(/\s+/g, ' ').trim(),
          rawLocation: c.attrs['location'] ?? '',
        });
      } else walk(c);
    }
  };
  walk(root);
  return out;
}

export function severityOf(flag: string): Severity {
  return flag === 'fatal' || flag === 'error' ? 'fatal' : 'warning';
}

const STEP = /^\*:([^[]+)\[namespace-uri\(\)='([^']*)'\]\[(\d+)\]$/;
const ATTR = /^@\*\[local-name\(\)='([^']*)' and namespace-uri\(\)='([^']*)'\]$/;

/** Resolves a Schematron full path to a node of `doc`; undefined when it does not resolve. */
export function resolveLocation(doc: InvoiceDocument, raw: string): XNode | undefined {
  if (!raw.startsWith('/')) return undefined;
  const steps = raw.slice(1).split('/');
  let cur: XElement | undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.startsWith('@')) {
      if (!cur) return undefined;
      const m = ATTR.exec(s);
      const local = m ? m[1]! : s.slice(1);
      const ns = m ? m[2]! : '';
      return cur.attrs.find((a) => a.local === local && a.ns === ns);
    }
    let name: string;
    let pos: number;
    const m = STEP.exec(s);
    if (m) {
      name = clark(m[2]!, m[1]!);
      pos = Number(m[3]);
    } else {
      const plain = /^([^[]+)\[(\d+)\]$/.exec(s);
      if (!plain) return undefined;
      name = clark('', plain[1]!);
      pos = Number(plain[2]);
    }
    if (i === 0) {
      if (doc.root.clark !== name || pos !== 1) return undefined;
      cur = doc.root;
      continue;
    }
    cur = cur!.children.filter((c) => c.clark === name)[pos - 1];
    if (!cur) return undefined;
  }
  return cur;
}

export function svrlToFindings(svrl: string, doc: InvoiceDocument): Finding[] {
  return readSvrl(svrl).map((a) => {
    const node = resolveLocation(doc, a.rawLocation);
    return {
      ruleId: a.id,
      severity: severityOf(a.flag),
      message: a.text,
      location: node ? locationOf(node) : a.rawLocation,
      line: node ? lineOf(node) : 0,
    };
  });
}
