/**
 * Writes a configuration as YAML a person will edit: a header saying where it came from and
 * what to check, and the manuals' name beside each key that has one, so that someone moving
 * from WMEFServer finds their settings again.
 */
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { EfactConfigInput } from './schema.js';
import { CIF_PLACEHOLDER } from './defaults.js';

export interface RenderOptions {
  /** Where the settings came from, e.g. "C:\\WinMentor\\WMEFServer.ini". */
  from?: string;
  /** Shown in the header as things to check (the import's warnings). */
  warnings?: readonly string[];
  /** Shown in the header when given; omitted by default so output is reproducible. */
  generatedAt?: Date;
}

/** The manuals' names of Efact's keys, by dotted path ([] for any list item). */
const MANUAL_NAMES: Record<string, string> = {
  serverId: 'ServerID',
  seats: 'posturi',
  'anaf.certificateSerial': 'Serie_Certif',
  'engine.pacingSeconds': 'SecundeNext',
  'engine.idleBackoffMinutes': 'MinuteTimeOut',
  'engine.windowDays': 'ZileBefore',
  'companies[].shortName': 'NumeSkema',
  'companies[].name': 'NumeFirma',
  'companies[].partitionFilter': 'FiltruSQL',
};

const PLACEHOLDER_COMMENT = " fill in: the company's CIF, e.g. RO12345674";

function annotate(node: Node | null, path: string): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const child = path === '' ? key : `${path}.${key}`;
      const value = pair.value as Node | null;
      if (isScalar(value)) {
        const manual = MANUAL_NAMES[child];
        if (manual !== undefined) value.comment = ` ${manual}`;
        if (key === 'cif' && value.value === CIF_PLACEHOLDER) value.comment = PLACEHOLDER_COMMENT;
      }
      annotate(value, child);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) annotate(item as Node, `${path}[]`);
  }
}

function header(options: RenderOptions): string[] {
  const from = options.from ?? 'a WinMentor WMEFServer.ini / WMEfact.ini';
  const when = options.generatedAt === undefined ? '' : ` on ${options.generatedAt.toISOString().slice(0, 10)}`;
  const lines = [
    'Efact configuration',
    `Imported from ${from}${when}.`,
    "Keys not written here take Efact's defaults; the manuals' names are noted beside the keys.",
  ];
  if (options.warnings !== undefined && options.warnings.length > 0) {
    lines.push('To check:', ...options.warnings.map((w) => `  - ${w}`));
  }
  return lines;
}

export function renderConfigYaml(config: EfactConfigInput, options: RenderOptions = {}): string {
  const doc = new Document(config);
  annotate(doc.contents as Node | null, '');
  doc.commentBefore = header(options)
    .map((line) => ` ${line}`)
    .join('\n');
  // no folding: a long partition filter must stay on one line, as the person wrote it
  return doc.toString({ lineWidth: 0 });
}
