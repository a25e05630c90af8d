import { describe, expect, it } from 'vitest';
import { makeCif } from '../domain/cif.js';
import { loadConfig } from './load.js';
import type { DeepPartial, EfactConfig } from './types.js';
import { problemsOf } from './testing/problems.js';

/** Builds { a: { b: value } } from "a.b". */
function at(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const load = (overrides: unknown, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ env, cwd: '/tmp', overrides: overrides as DeepPartial<EfactConfig> });

describe('range errors name the key, the value and the allowed range', () => {
  const cases: [path: string, value: unknown, expected: string][] = [
    ['serverId', 0, 'serverId: 0 is below the minimum 1 (allowed: a whole number 1..999; the manuals\' ServerID)'],
    ['serverId', 1000, 'serverId: 1000 is above the maximum 999 (allowed: a whole number 1..999'],
    ['serverId', 1.5, 'serverId: 1.5 is not a whole number (allowed: a whole number 1..999'],
    ['seats', 0, 'seats: 0 is below the minimum 1 (allowed: a whole number 1..999'],
    ['http.port', 70000, 'http.port: 70000 is above the maximum 65535 (allowed: a whole number 0..65535)'],
    ['http.host', '', 'http.host: "" is empty (allowed: non-empty text)'],
    ['anaf.timeoutSeconds', 0, 'anaf.timeoutSeconds: 0 is below the minimum 1 (allowed: a number 1..600)'],
    ['anaf.timeoutSeconds', 601, 'anaf.timeoutSeconds: 601 is above the maximum 600'],
    ['anaf.apiBaseUrl', 'ftp://x', 'anaf.apiBaseUrl: "ftp://x" is not a valid http:// or https:// address'],
    ['sandbox.port', -1, 'sandbox.port: -1 is below the minimum 0 (allowed: a whole number 0..65535)'],
    ['sandbox.processingDelaySeconds', 3601, 'sandbox.processingDelaySeconds: 3601 is above the maximum 3600 (allowed: a number 0..3600)'],
    ['engine.pacingSeconds', 11, "engine.pacingSeconds: 11 is above the maximum 10 (allowed: a number 0..10; the manuals' SecundeNext is 2–10 s"],
    ['engine.pacingSeconds', -1, 'engine.pacingSeconds: -1 is below the minimum 0'],
    ['engine.idleBackoffMinutes', 4, "engine.idleBackoffMinutes: 4 is below the minimum 5 (allowed: a whole number 5..30; the manuals' MinuteTimeOut)"],
    ['engine.idleBackoffMinutes', 31, 'engine.idleBackoffMinutes: 31 is above the maximum 30'],
    ['engine.windowDays', 91, "engine.windowDays: 91 is above the maximum 90 (allowed: a whole number 1..90; the manuals' ZileBefore; ANAF keeps answers 60 days)"],
    ['engine.windowDays', 0, 'engine.windowDays: 0 is below the minimum 1'],
    ['engine.concurrency', 65, 'engine.concurrency: 65 is above the maximum 64 (allowed: a whole number 1..64)'],
    ['engine.passIntervalSeconds', 3601, 'engine.passIntervalSeconds: 3601 is above the maximum 3600 (allowed: a number 0..3600)'],
    ['engine.uncertainUploadGraceMinutes', 0, 'engine.uncertainUploadGraceMinutes: 0 is below the minimum 1 (allowed: a number 1..10080)'],
    ['engine.uncertainUploadGraceMinutes', 10081, 'engine.uncertainUploadGraceMinutes: 10081 is above the maximum 10080'],
    ['limits.perMinute', 0, 'limits.perMinute: 0 is below the minimum 1 (allowed: a whole number ≥ 1)'],
    ['limits.statusPerMessagePerDay', 0, 'limits.statusPerMessagePerDay: 0 is below the minimum 1'],
    ['limits.downloadsPerMessagePerDay', 0, 'limits.downloadsPerMessagePerDay: 0 is below the minimum 1'],
    ['limits.simpleListPerCuiPerDay', 0, 'limits.simpleListPerCuiPerDay: 0 is below the minimum 1'],
    ['limits.pagedListPerCuiPerDay', 0, 'limits.pagedListPerCuiPerDay: 0 is below the minimum 1'],
    ['limits.raspUploadsPerCuiPerDay', 2.5, 'limits.raspUploadsPerCuiPerDay: 2.5 is not a whole number (allowed: a whole number ≥ 1)'],
    ['limits.headroom', 0.05, 'limits.headroom: 0.05 is below the minimum 0.1 (allowed: a number 0.1..1'],
    ['limits.headroom', 1.5, 'limits.headroom: 1.5 is above the maximum 1'],
    ['logLevel', 'verbose', 'logLevel: "verbose" is not one of the allowed values (allowed: one of trace, debug, info, warn, error)'],
    ['store.synchronous', 'OFF', 'store.synchronous: "OFF" is not one of the allowed values (allowed: one of FULL, NORMAL)'],
    ['store.url', 'mysql://x', 'store.url: "mysql://x" is not a supported store (allowed: "" for <dataDir>/efact.db, "sqlite:PATH"'],
    ['engine.allowFastPacing', 'yes', 'engine.allowFastPacing: "yes" is not true or false'],
    ['http', 8080, 'http: 8080 is not a mapping (allowed: a mapping with the keys host, port, auth, repeatLimit, signInLimit, trustProxy)'],
    ['companies', {}, 'companies: a mapping is not a list'],
  ];

  it.each(cases)('%s = %j', (path, value, expected) => {
    const problems = problemsOf(() => load(at(path, value)));
    expect(problems.join('\n')).toContain(expected);
  });

  it('names every offending key at once', () => {
    const problems = problemsOf(() => load({ serverId: 0, http: { port: -5 }, engine: { windowDays: 200 } }));
    expect(problems).toHaveLength(3);
    expect(() => load({ serverId: 0, http: { port: -5 } })).toThrow(/serverId[\s\S]*http\.port/);
  });

  it('never shows the ANAF token', () => {
    const problems = problemsOf(() => load({ anaf: { token: '' } }));
    expect(problems).toEqual(['anaf.token: (hidden) is empty (allowed: non-empty text)']);
  });
});

describe('unknown keys', () => {
  it('names the key and the likely intended one', () => {
    expect(problemsOf(() => load({ engine: { pacingSecond: 3 } }))).toEqual([
      'engine.pacingSecond: unknown key (did you mean engine.pacingSeconds?)',
    ]);
    expect(problemsOf(() => load({ http: { prot: 1 } }))).toEqual(['http.prot: unknown key (did you mean http.port?)']);
    expect(problemsOf(() => load({ ServerID: 1 }))).toEqual(['ServerID: unknown key (did you mean serverId?)']);
    expect(problemsOf(() => load({ companies: [{ cif: '12345674', shortName: 'A', name: 'A', enviroment: 'prod' }] }))).toEqual([
      'companies[0].enviroment: unknown key (did you mean companies[0].environment?)',
    ]);
  });

  it('points to the right section for a key in the wrong one', () => {
    expect(problemsOf(() => load({ pacingSeconds: 3 }))).toEqual([
      'pacingSeconds: unknown key here (did you mean engine.pacingSeconds?)',
    ]);
  });

  it('lists the known keys when nothing is close', () => {
    expect(problemsOf(() => load({ store: { flavour: 'x' } }))).toEqual([
      'store.flavour: unknown key (known keys here: url, synchronous, schema, poolSize, migrationLockTimeoutSeconds)',
    ]);
  });
});

describe('fast pacing', () => {
  const fastPacingNote =
    "engine.pacingSeconds: 1 is below the minimum 2 (the manuals' SecundeNext is 2–10 s; 0–2 s only with " +
    'engine.allowFastPacing: true, meant for the sandbox and benchmarks)';

  it('is refused without engine.allowFastPacing', () => {
    expect(problemsOf(() => load({ engine: { pacingSeconds: 1 } }))).toEqual([fastPacingNote]);
  });

  it('is allowed with the flag while the sandbox runs', () => {
    expect(load({ engine: { pacingSeconds: 0, allowFastPacing: true } }).engine.pacingSeconds).toBe(0);
    expect(load({ engine: { pacingSeconds: 0.5, allowFastPacing: true }, sandbox: { enabled: true } }, { EFACT_ANAF_TOKEN: 't' }).engine.pacingSeconds).toBe(0.5);
  });

  it('is refused without the sandbox, naming both keys', () => {
    const withToken = problemsOf(() => load({ engine: { pacingSeconds: 0, allowFastPacing: true } }, { EFACT_ANAF_TOKEN: 't' }));
    expect(withToken).toHaveLength(1);
    expect(withToken[0]).toMatch(/^engine\.allowFastPacing: true is only allowed with sandbox\.enabled: true/);
    expect(withToken[0]).toContain('because anaf.token is set');
    const explicit = problemsOf(() => load({ engine: { allowFastPacing: true }, sandbox: { enabled: false } }));
    expect(explicit[0]).toContain('sandbox.enabled is false, as configured');
  });
});

describe('companies', () => {
  const company = (cif: string, shortName: string) => ({ cif, shortName, name: `${shortName} SRL` });

  it('accepts a CIF with or without RO and stores the digits', () => {
    const config = load({ companies: [company('RO12345674', 'A'), company('1234565', 'B'), company(` ro ${makeCif('7654321')} `, 'C')] });
    expect(config.companies.map((c) => c.cif)).toEqual(['12345674', '1234565', makeCif('7654321')]);
  });

  it('names the company index and the CIF when the check digit is wrong', () => {
    expect(problemsOf(() => load({ companies: [company('12345674', 'A'), company('RO12345675', 'B')] }))).toEqual([
      'companies[1].cif: "RO12345675" has a wrong check digit (a CIF\'s last digit is computed from the others with ANAF\'s key 753217532)',
    ]);
  });

  it('refuses what is not a CIF, and the import placeholder', () => {
    const problems = problemsOf(() => load({ companies: [company('ABC', 'A'), company('FILL-IN', 'B')] }));
    expect(problems[0]).toBe('companies[0].cif: "ABC" is not a Romanian CIF (2 to 10 digits, optionally prefixed RO)');
    expect(problems[1]).toMatch(/^companies\[1\]\.cif: "FILL-IN" is a placeholder/);
  });

  it('names missing and over-long fields', () => {
    const problems = problemsOf(() => load({ companies: [{ cif: '12345674', shortName: 'x'.repeat(41) }] }));
    expect(problems).toContain(
      'companies[0].shortName: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is longer than 40 characters (allowed: text of 1..40 characters; the manuals\' NumeSkema)',
    );
    expect(problems).toContain("companies[0].name: is missing (required: text of 1..200 characters; the manuals' NumeFirma)");
  });

  it('refuses the same CIF twice, naming both indexes', () => {
    expect(problemsOf(() => load({ companies: [company('12345674', 'A'), company('1234565', 'B'), company('RO12345674', 'C')] }))).toEqual([
      'companies[2].cif: "RO12345674" is the same CIF as companies[0].cif (12345674); each company may be listed once',
    ]);
  });

  it('refuses the same short name twice, ignoring case', () => {
    expect(problemsOf(() => load({ companies: [company('12345674', 'Flo'), company('1234565', 'FLO')] }))).toEqual([
      'companies[1].shortName: "FLO" is already used by companies[0].shortName; short names must be unique (case ignored)',
    ]);
  });
});

describe('server registration settings', () => {
  it('accepts a partition filter and keeps it as written', () => {
    expect(load({ serverFilter: "branch = 'Iasi'" }).serverFilter).toBe("branch = 'Iasi'");
  });

  it('refuses a filter that does not parse, with the column of the mistake', () => {
    const [problem] = problemsOf(() => load({ serverFilter: "branch = 'Iasi' and" }));
    expect(problem).toMatch(/^serverFilter: partition filter, column \d+: /);
  });

  it('refuses a lease shorter than two heartbeats', () => {
    expect(problemsOf(() => load({ serverHeartbeatSeconds: 10, serverLeaseSeconds: 15 }))).toEqual([
      'serverLeaseSeconds: 15 is less than twice serverHeartbeatSeconds (10); a lease must outlast at least two heartbeats, e.g. serverLeaseSeconds: 30',
    ]);
    expect(load({ serverHeartbeatSeconds: 5, serverLeaseSeconds: 10 }).serverLeaseSeconds).toBe(10);
  });
});

describe('store settings', () => {
  it('passes PostgreSQL schema, pool size and migration lock wait through', () => {
    const config = load({ store: { url: 'postgres://efact@db/efact', schema: 'efact_prod', poolSize: 20, migrationLockTimeoutSeconds: 30 } });
    expect(config.store).toEqual({ url: 'postgres://efact@db/efact', synchronous: 'FULL', schema: 'efact_prod', poolSize: 20, migrationLockTimeoutSeconds: 30 });
  });

  it('refuses a schema that is not a plain identifier, or one given for SQLite', () => {
    expect(problemsOf(() => load({ store: { url: 'postgres://db/efact', schema: 'x; drop' } }))[0]).toMatch(/^store\.schema: /);
    expect(problemsOf(() => load({ store: { schema: 'efact' } }))).toEqual([
      'store.schema: applies to a PostgreSQL store only; store.url is not a postgres:// URL',
    ]);
  });
});
