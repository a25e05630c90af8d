import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCif } from '../domain/cif.js';
import { importWmefServerIni } from './ini-import.js';
import { readIniLines, unquote } from './ini-lines.js';
import { loadConfig } from './load.js';
import { parseConfig } from './parse.js';
import { renderConfigYaml } from './render.js';
import { problemsOf } from './testing/problems.js';

/** The WMEFServer manual's example, as the manual prints it (row, key, value, tab-separated). */
const MANUAL_TABLE = [
  '#\tCompName\tUserName\tMediu\tSubunitate\tFile',
  '1\tServerID\t1\t\t\t',
  '2\tSerie_Certif\t111111\t\t\t',
  '3\tMinuteTimeOut\t5\t\t\t',
  '4\tSecundeNext\t2\t\t\t',
  '5\tZileBefore\t60\t\t\t',
  '6\tNumeSkema1\tAli3\t\t\t',
  '7\tNumeFirma1\t1.Alina3- SAF-T\t\t\t',
  '8\tFiltruSQL1\t\t\t\t',
  '9\tNumeSkema2\tFlo\t\t\t',
  '10\tNumeFirma2\tFlo-AUTO\t\t\t',
  '11\tFiltruSQL2\t\t\t\t',
  '12\tNumeSkema3\tEFA\t\t\t',
  '13\tNumeFirma3\t1.Efactura\t\t\t',
].join('\n');

/** The same settings as the Windows program writes the file. */
const MANUAL_INI = [
  '[eFactura]',
  'ServerID=1',
  'Serie_Certif=111111',
  'MinuteTimeOut=5',
  'SecundeNext=2',
  'ZileBefore=60',
  'NumeSkema1=Ali3',
  'NumeFirma1=1.Alina3- SAF-T',
  'FiltruSQL1=',
  'NumeSkema2=Flo',
  'NumeFirma2=Flo-AUTO',
  'FiltruSQL2=',
  'NumeSkema3=EFA',
  'NumeFirma3=1.Efactura',
  'NumeSkema4=',
  'NumeFirma4=',
].join('\r\n');

const CIFS = { Ali3: `RO${makeCif('1111111')}`, Flo: makeCif('2222222'), EFA: makeCif('3333333') };

const EXPECTED_CONFIG = {
  serverId: 1,
  anaf: { certificateSerial: '111111' },
  engine: { pacingSeconds: 2, idleBackoffMinutes: 5, windowDays: 60 },
  companies: [
    { cif: 'FILL-IN', shortName: 'Ali3', name: '1.Alina3- SAF-T' },
    { cif: 'FILL-IN', shortName: 'Flo', name: 'Flo-AUTO' },
    { cif: 'FILL-IN', shortName: 'EFA', name: '1.Efactura' },
  ],
};

describe('importWmefServerIni: the manuals’ example', () => {
  it.each([
    ['the manual’s table layout', MANUAL_TABLE],
    ['the INI file layout', MANUAL_INI],
  ])('reads %s', (_, text) => {
    const { config, warnings } = importWmefServerIni(text);
    expect(config).toEqual(EXPECTED_CONFIG);
    // one warning per company telling what to write, and one about the environment
    expect(warnings.filter((w) => w.includes('FILL-IN'))).toEqual([
      'companies[0] (NumeSkema1 Ali3): the INI has no CIF, so cif is "FILL-IN"; write the company\'s fiscal code there (e.g. cif: RO12345674), or give it to the import as Ali3=<CIF>',
      expect.stringContaining('companies[1] (NumeSkema2 Flo)'),
      expect.stringContaining('companies[2] (NumeSkema3 EFA)'),
    ]);
    expect(warnings).toContain(
      "companies start on ANAF's test environment (the manuals' Testare); set environment: prod on each when ready",
    );
  });

  it('without CIFs gives a configuration that does not validate, naming each placeholder', () => {
    const { config } = importWmefServerIni(MANUAL_TABLE);
    const problems = problemsOf(() => parseConfig(config));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^companies\[0\]\.cif: "FILL-IN" is a placeholder/);
  });

  it('round-trips through renderConfigYaml and loadConfig when CIFs are supplied', () => {
    const { config, warnings } = importWmefServerIni(MANUAL_TABLE, { cifs: CIFS });
    expect(warnings.some((w) => w.includes('FILL-IN'))).toBe(false);
    const yaml = renderConfigYaml(config, { from: 'C:\\WinMentor\\WMEFServer.ini', warnings });
    expect(yaml).toMatch(/^# Efact configuration\n# Imported from C:\\WinMentor\\WMEFServer\.ini\./);
    expect(yaml).toContain('windowDays: 60 # ZileBefore');

    const dir = mkdtempSync(join(tmpdir(), 'efact-ini-'));
    const file = join(dir, 'efact.yml');
    writeFileSync(file, yaml);
    const loaded = loadConfig({ file, env: {} });
    expect(loaded.serverId).toBe(1);
    expect(loaded.anaf.certificateSerial).toBe('111111');
    expect(loaded.engine).toMatchObject({ pacingSeconds: 2, idleBackoffMinutes: 5, windowDays: 60 });
    expect(loaded.companies.map((c) => [c.cif, c.shortName, c.name, c.environment])).toEqual([
      [makeCif('1111111'), 'Ali3', '1.Alina3- SAF-T', 'test'],
      [makeCif('2222222'), 'Flo', 'Flo-AUTO', 'test'],
      [makeCif('3333333'), 'EFA', '1.Efactura', 'test'],
    ]);
    expect(loaded.demo).toBe(false);
  });
});

describe('importWmefServerIni: values out of the manuals’ bounds are rejected', () => {
  const base = (line: string) => `[eFactura]\nNumeSkema1=A\nNumeFirma1=A SRL\n${line}`;
  it.each([
    ['MinuteTimeOut=45', 'MinuteTimeOut = 45 is outside 5..30 (WMEFServer manual)'],
    ['MinuteTimeOut=4', 'MinuteTimeOut = 4 is outside 5..30 (WMEFServer manual)'],
    ['SecundeNext=1', 'SecundeNext = 1 is outside 2..10 (WMEFServer manual)'],
    ['SecundeNext=11', 'SecundeNext = 11 is outside 2..10 (WMEFServer manual)'],
    ['ServerID=0', 'ServerID = 0 is outside 1..999 (WMEFServer manual: servers are numbered from 1; Efact allows up to 999)'],
    ['ZileBefore=0', 'ZileBefore = 0 is outside 1..90 (WMEFServer manual; ANAF keeps answers 60 days)'],
    ['ZileBefore=91', 'ZileBefore = 91 is outside 1..90 (WMEFServer manual; ANAF keeps answers 60 days)'],
    ['SecundeNext=abc', 'SecundeNext = abc is not a whole number (2..10, WMEFServer manual)'],
    ['MinuteTimeOut=-5', 'MinuteTimeOut = -5 is outside 5..30 (WMEFServer manual)'],
    ['ServerID=1.5', 'ServerID = 1.5 is not a whole number (1..999, WMEFServer manual: servers are numbered from 1; Efact allows up to 999)'],
  ])('%s', (line, expected) => {
    const problems = problemsOf(() => importWmefServerIni(base(line)));
    expect(problems).toEqual([expected]);
    expect(() => importWmefServerIni(base(line))).toThrow(expected);
  });

  it('lists every bad value at once', () => {
    expect(problemsOf(() => importWmefServerIni('MinuteTimeOut=45\nSecundeNext=1'))).toHaveLength(2);
  });

  it('accepts ZileBefore up to 90 with a warning above 60', () => {
    const { config, warnings } = importWmefServerIni(base('ZileBefore=90'));
    expect(config.engine?.windowDays).toBe(90);
    expect(warnings).toContain(
      'ZileBefore = 90: ANAF keeps answers only 60 days, so an invoice older than that can no longer be downloaded; 60 is usually right',
    );
    expect(importWmefServerIni(base('ZileBefore=60')).warnings.some((w) => w.startsWith('ZileBefore'))).toBe(false);
  });
});

describe('importWmefServerIni: reading', () => {
  it('ignores key case, strips ASCII quotes and keeps the manuals’ typographic quotes in filters', () => {
    const { config } = importWmefServerIni(
      [
        '[EFACTURA]',
        'serverid = "2"',
        "SERIE_CERTIF = '0A1B2C'",
        'numeskema1 = Flo',
        'NUMEFIRMA1 = "Flo-AUTO SRL"',
        'FiltruSql1 = Subunitate like ‘Iasi’',
        'NumeSkema2=Ias',
        'NumeFirma2=Ias',
        'FiltruSQL2=Subunitate=’Iasi’ and NrDoc=12',
      ].join('\n'),
    );
    expect(config.serverId).toBe(2);
    expect(config.anaf?.certificateSerial).toBe('0A1B2C');
    expect(config.companies).toEqual([
      { cif: 'FILL-IN', shortName: 'Flo', name: 'Flo-AUTO SRL', partitionFilter: 'Subunitate like ‘Iasi’' },
      { cif: 'FILL-IN', shortName: 'Ias', name: 'Ias', partitionFilter: 'Subunitate=’Iasi’ and NrDoc=12' },
    ]);
  });

  it('accepts the manual’s other spellings (Server_ID, NumeSchemaN) and slots beyond 10', () => {
    const { config } = importWmefServerIni('Server_ID 3\nNumeSchema12 Big\nNumeFirma12 Big SA');
    expect(config.serverId).toBe(3);
    expect(config.companies).toEqual([{ cif: 'FILL-IN', shortName: 'Big', name: 'Big SA' }]);
  });

  it('skips empty slots, warning when a slot has a name but no NumeSkema', () => {
    const { config, warnings } = importWmefServerIni('NumeSkema1=\nNumeFirma1=Orphan SRL\nNumeSkema2=B\nNumeFirma2=B SRL');
    expect(config.companies).toEqual([{ cif: 'FILL-IN', shortName: 'B', name: 'B SRL' }]);
    expect(warnings).toContain('NumeSkema1 is empty, so NumeFirma1 / FiltruSQL1 are skipped');
  });

  it('uses the short name when NumeFirma is missing', () => {
    const { config, warnings } = importWmefServerIni('NumeSkema1=Solo');
    expect(config.companies).toEqual([{ cif: 'FILL-IN', shortName: 'Solo', name: 'Solo' }]);
    expect(warnings).toContain('companies[0] (NumeSkema1 Solo): NumeFirma1 is empty; the short name is used as the name');
  });

  it('keeps the first of a repeated key and warns about it, and about keys it does not know', () => {
    const { config, warnings } = importWmefServerIni('ServerID=1\nDBName=x\nServerID=2');
    expect(config.serverId).toBe(1);
    expect(warnings).toEqual([
      'line 2: DBName is not a setting Efact imports; ignored',
      'line 3: ServerID appears again; the first value (line 1) is kept',
      'the INI names no company (NumeSkema1..10 are empty); add companies before starting',
    ]);
  });

  it('matches CIFs to short names ignoring case, and warns about bad or unused ones', () => {
    const { config, warnings } = importWmefServerIni('NumeSkema1=Ali3\nNumeSkema2=Flo', {
      cifs: { ALI3: '12345674', Flo: '12345675', Nobody: '1234565' },
    });
    expect(config.companies?.map((c) => c.cif)).toEqual(['12345674', '12345675']);
    expect(warnings).toContain(
      'companies[1] (NumeSkema2 Flo): the CIF given, "12345675", has a wrong check digit (a CIF\'s last digit is computed from the others with ANAF\'s key 753217532)',
    );
    expect(warnings).toContain('a CIF was given for Nobody, but no NumeSkema in the INI is called that');
  });

  it('leaves out what the INI does not set, so Efact’s defaults apply', () => {
    expect(importWmefServerIni('[eFactura]\nMinuteTimeOut=\n').config).toEqual({ companies: [] });
  });
});

describe('readIniLines', () => {
  it('reads key=value, key value and numbered rows; skips comments and sections', () => {
    const { entries, unreadable } = readIniLines('; c\n# h\n[s]\nA=1\nB 2\n3\tC\t3 4\nD\n!!!');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', '1', 4],
      ['B', '2', 5],
      ['C', '3 4', 6],
      ['D', '', 7],
    ]);
    expect(unreadable).toEqual([{ line: 8, text: '!!!' }]);
  });

  it('unquotes only a whole, simply quoted value', () => {
    expect(unquote('"a b"')).toBe('a b');
    expect(unquote("'a'")).toBe('a');
    expect(unquote("'Iasi' = Subunitate and Serie = 'F'")).toBe("'Iasi' = Subunitate and Serie = 'F'");
    expect(unquote('‘Iasi’')).toBe('‘Iasi’');
    expect(unquote('"')).toBe('"');
  });
});
