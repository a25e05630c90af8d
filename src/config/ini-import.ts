/**
 * Imports the manuals' WMEFServer.ini / WMEfact.ini into Efact's configuration shape, ready
 * to be written as YAML. Values outside the manuals' bounds are refused (a setting the old
 * server would not have accepted should not start a new one); the INI has no CIF, so each
 * company gets one from `cifs` or a placeholder that fails validation until filled in.
 */
import { EfactError } from '../domain/errors.js';
import { CIF_PLACEHOLDER } from './defaults.js';
import { readIniLines, type IniEntry } from './ini-lines.js';
import { cifProblem, type EfactConfigInput } from './schema.js';

export interface IniImportOptions {
  /** CIF per company short name (the INI's NumeSkemaN); matched exactly, else ignoring case. */
  cifs?: Record<string, string>;
}

export interface IniImport {
  config: EfactConfigInput;
  /** Things a person should check or fill in before using the configuration. */
  warnings: string[];
}

type Company = NonNullable<EfactConfigInput['companies']>[number];

/** The manuals' key names, lower-cased, to one spelling; the manuals themselves vary. */
const ALIASES: Record<string, string> = {
  serverid: 'ServerID',
  server_id: 'ServerID', // the WMEFServer manual's bullet list
  serie_certif: 'Serie_Certif',
  minutetimeout: 'MinuteTimeOut',
  secundenext: 'SecundeNext',
  zilebefore: 'ZileBefore',
};
const SLOT = /^(numeskema|numeschema|numefirma|filtrusql)(\d+)$/; // "NumeSchema1" in the manual's text
const SLOT_KEYS: Record<string, string> = {
  numeskema: 'NumeSkema',
  numeschema: 'NumeSkema',
  numefirma: 'NumeFirma',
  filtrusql: 'FiltruSQL',
};

function canonicalKey(key: string): string | null {
  const lower = key.toLowerCase();
  const slot = SLOT.exec(lower);
  if (slot !== null) return `${SLOT_KEYS[slot[1]!]}${Number(slot[2])}`;
  return ALIASES[lower] ?? null;
}

/** First occurrence wins, as with the Windows INI API the manuals' servers read it with. */
function collect(entries: IniEntry[], warnings: string[]): Map<string, IniEntry> {
  const settings = new Map<string, IniEntry>();
  for (const entry of entries) {
    const key = canonicalKey(entry.key);
    if (key === null) {
      warnings.push(`line ${entry.line}: ${entry.key} is not a setting Efact imports; ignored`);
    } else if (settings.has(key)) {
      const first = settings.get(key)!.line;
      warnings.push(`line ${entry.line}: ${key} appears again; the first value (line ${first}) is kept`);
    } else {
      settings.set(key, entry);
    }
  }
  return settings;
}

interface Bound {
  min: number;
  max: number;
  /** Why the bounds are what they are, quoted in the message. */
  source: string;
}

const BOUNDS: Record<string, Bound> = {
  // the manuals number servers 1..n by seats; 999 is Efact's own ceiling on serverId
  ServerID: { min: 1, max: 999, source: 'WMEFServer manual: servers are numbered from 1; Efact allows up to 999' },
  MinuteTimeOut: { min: 5, max: 30, source: 'WMEFServer manual' },
  SecundeNext: { min: 2, max: 10, source: 'WMEFServer manual' },
  // the manual says "implicit sunt 90 de zile", but ANAF keeps answers only 60 days
  ZileBefore: { min: 1, max: 90, source: 'WMEFServer manual; ANAF keeps answers 60 days' },
};

function wholeNumber(settings: Map<string, IniEntry>, key: string, errors: string[]): number | undefined {
  const entry = settings.get(key);
  if (entry === undefined || entry.value === '') return undefined;
  const bound = BOUNDS[key]!;
  if (!/^[+-]?\d+$/.test(entry.value)) {
    errors.push(`${key} = ${entry.value} is not a whole number (${bound.min}..${bound.max}, ${bound.source})`);
    return undefined;
  }
  const value = Number(entry.value);
  if (value < bound.min || value > bound.max) {
    errors.push(`${key} = ${value} is outside ${bound.min}..${bound.max} (${bound.source})`);
    return undefined;
  }
  return value;
}

function findCif(cifs: Record<string, string>, shortName: string): [string, string] | undefined {
  if (cifs[shortName] !== undefined) return [shortName, cifs[shortName]];
  const key = Object.keys(cifs).find((k) => k.toLowerCase() === shortName.toLowerCase());
  return key === undefined ? undefined : [key, cifs[key]!];
}

function companies(settings: Map<string, IniEntry>, cifs: Record<string, string>, warnings: string[]): Company[] {
  const slots = [...settings.keys()]
    .map((key) => /^(?:NumeSkema|NumeFirma|FiltruSQL)(\d+)$/.exec(key)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  const used = new Set<string>();
  const out: Company[] = [];
  for (const n of [...new Set(slots)].sort((a, b) => a - b)) {
    const shortName = settings.get(`NumeSkema${n}`)?.value ?? '';
    const name = settings.get(`NumeFirma${n}`)?.value ?? '';
    const filter = settings.get(`FiltruSQL${n}`)?.value ?? '';
    if (shortName === '') {
      if (name !== '' || filter !== '') {
        warnings.push(`NumeSkema${n} is empty, so NumeFirma${n} / FiltruSQL${n} are skipped`);
      }
      continue;
    }
    const index = out.length;
    const label = `companies[${index}] (NumeSkema${n} ${shortName})`;
    if (name === '') warnings.push(`${label}: NumeFirma${n} is empty; the short name is used as the name`);
    const found = findCif(cifs, shortName);
    let cif = CIF_PLACEHOLDER;
    if (found === undefined) {
      warnings.push(
        `${label}: the INI has no CIF, so cif is "${CIF_PLACEHOLDER}"; write the company's fiscal code there ` +
          `(e.g. cif: RO12345674), or give it to the import as ${shortName}=<CIF>`,
      );
    } else {
      used.add(found[0]);
      cif = found[1].trim();
      const problem = cifProblem(cif);
      if (problem !== null) warnings.push(`${label}: the CIF given, ${JSON.stringify(cif)}, ${problem}`);
    }
    const company: Company = { cif, shortName, name: name === '' ? shortName : name };
    // kept verbatim, typographic quotes included: the partition-filter language reads them
    if (filter !== '') company.partitionFilter = filter;
    out.push(company);
  }
  for (const key of Object.keys(cifs)) {
    if (!used.has(key)) warnings.push(`a CIF was given for ${key}, but no NumeSkema in the INI is called that`);
  }
  return out;
}

export function importWmefServerIni(text: string, options: IniImportOptions = {}): IniImport {
  const warnings: string[] = [];
  const errors: string[] = [];
  const { entries, unreadable } = readIniLines(text);
  for (const u of unreadable) warnings.push(`line ${u.line}: not a setting, ignored: ${u.text}`);
  const settings = collect(entries, warnings);

  const serverId = wholeNumber(settings, 'ServerID', errors);
  const idleBackoffMinutes = wholeNumber(settings, 'MinuteTimeOut', errors);
  const pacingSeconds = wholeNumber(settings, 'SecundeNext', errors);
  const windowDays = wholeNumber(settings, 'ZileBefore', errors);
  const certificateSerial = settings.get('Serie_Certif')?.value ?? '';
  const list = companies(settings, options.cifs ?? {}, warnings);
  if (errors.length > 0) {
    throw new EfactError('INVALID_CONFIG', `Cannot import the INI:\n${errors.map((e) => `  - ${e}`).join('\n')}`, {
      details: { problems: errors },
    });
  }
  if (windowDays !== undefined && windowDays > 60) {
    warnings.push(
      `ZileBefore = ${windowDays}: ANAF keeps answers only 60 days, ` +
        'so an invoice older than that can no longer be downloaded; 60 is usually right',
    );
  }
  warnings.push(
    list.length === 0
      ? 'the INI names no company (NumeSkema1..10 are empty); add companies before starting'
      : "companies start on ANAF's test environment (the manuals' Testare); set environment: prod on each when ready",
  );

  const config: EfactConfigInput = {};
  if (serverId !== undefined) config.serverId = serverId;
  if (certificateSerial !== '') config.anaf = { certificateSerial };
  const engine: NonNullable<EfactConfigInput['engine']> = {};
  if (pacingSeconds !== undefined) engine.pacingSeconds = pacingSeconds;
  if (idleBackoffMinutes !== undefined) engine.idleBackoffMinutes = idleBackoffMinutes;
  if (windowDays !== undefined) engine.windowDays = windowDays;
  if (Object.keys(engine).length > 0) config.engine = engine;
  config.companies = list;
  return { config, warnings };
}
