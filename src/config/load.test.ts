import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { parseConfig } from './parse.js';
import { problemsOf } from './testing/problems.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'efact-config-'));
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadConfig without a file', () => {
  it('gives a working embedded set-up: SQLite in ./efact-data, the sandbox, demo data', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config).toEqual({
      serverId: 1,
      seats: 1,
      serverHeartbeatSeconds: 10,
      serverLeaseSeconds: 30,
      dataDir: join(dir, 'efact-data'),
      http: { host: '127.0.0.1', port: 8080, auth: 'auto', repeatLimit: { max: 60, windowSeconds: 60 }, signInLimit: { max: 10, windowSeconds: 300 }, trustProxy: false },
      store: { url: `sqlite:${join(dir, 'efact-data', 'efact.db')}`, synchronous: 'FULL', poolSize: 10, migrationLockTimeoutSeconds: 120 },
      anaf: { apiBaseUrl: 'https://api.anaf.ro', publicBaseUrl: 'https://webservicesp.anaf.ro', timeoutSeconds: 60 },
      sandbox: { enabled: true, port: 0, processingDelaySeconds: 2 },
      engine: {
        pacingSeconds: 2,
        allowFastPacing: false,
        idleBackoffMinutes: 5,
        windowDays: 60,
        concurrency: 4,
        passIntervalSeconds: 10,
        uncertainUploadGraceMinutes: 60,
      },
      limits: {
        perMinute: 1000,
        statusPerMessagePerDay: 100,
        downloadsPerMessagePerDay: 10,
        simpleListPerCuiPerDay: 1500,
        pagedListPerCuiPerDay: 100_000,
        raspUploadsPerCuiPerDay: 1000,
        headroom: 1,
      },
      oauth: { baseUrl: 'https://logincert.anaf.ro', refreshDaysBefore: 30, warnDaysBefore: 14, refreshTokenDays: 365, checkIntervalMinutes: 60, loginTimeoutMinutes: 10 },
      validation: {},
      companies: [],
      demo: true,
      logLevel: 'info',
    });
  });

  it('turns the sandbox off by default once a token is configured', () => {
    const config = loadConfig({ env: { EFACT_ANAF_TOKEN: 'secret' }, cwd: dir });
    expect(config.sandbox.enabled).toBe(false);
    expect(config.anaf.token).toBe('secret');
  });

  it('turns demo data off once a company is configured', () => {
    const config = loadConfig({
      env: {},
      cwd: dir,
      overrides: { companies: [{ cif: 'RO12345674', shortName: 'A', name: 'A SRL' }] },
    });
    expect(config.demo).toBe(false);
    expect(config.companies[0]).toEqual({
      cif: '12345674',
      shortName: 'A',
      name: 'A SRL',
      environment: 'test',
      intake: {},
      flags: {},
      b2c: false,
    });
  });

  it('applies overrides last and ignores undefined ones', () => {
    const config = loadConfig({ env: { EFACT_PORT: '9000' }, cwd: dir, overrides: { http: { port: undefined, host: '0.0.0.0' } } });
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 9000 });
  });
});

describe('loadConfig with a file', () => {
  const yaml = [
    'serverId: 3',
    'seats: 4',
    'dataDir: data',
    'store: { synchronous: NORMAL }',
    'anaf:',
    '  token: abc',
    '  certificateSerial: "111111"',
    'engine:',
    '  pacingSeconds: 3',
    '  idleBackoffMinutes: 10',
    'limits: { headroom: 0.8 }',
    'companies:',
    '  - cif: RO 12345674',
    '    shortName: Ali3',
    '    name: 1.Alina3- SAF-T',
    '    environment: prod',
    '    exportFolder: export/ali3',
    "    partitionFilter: Subunitate like ‘Iasi’",
    '    intake: { pathPattern: "{branch}/{user}/*.xml" }',
    '    flags: { autofactura: true }',
    '    b2c: true',
    'logLevel: debug',
  ].join('\n');

  it('reads YAML, resolving relative paths against the file’s folder', () => {
    const file = write('efact.yml', yaml);
    const config = loadConfig({ file, env: {}, cwd: '/somewhere/else' });
    expect(config.serverId).toBe(3);
    expect(config.seats).toBe(4);
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.store).toMatchObject({ url: `sqlite:${join(dir, 'data', 'efact.db')}`, synchronous: 'NORMAL' });
    expect(config.anaf.certificateSerial).toBe('111111');
    expect(config.sandbox.enabled).toBe(false);
    expect(config.engine.pacingSeconds).toBe(3);
    expect(config.engine.idleBackoffMinutes).toBe(10);
    expect(config.engine.windowDays).toBe(60);
    expect(config.limits.headroom).toBe(0.8);
    expect(config.limits.perMinute).toBe(1000);
    expect(config.demo).toBe(false);
    expect(config.logLevel).toBe('debug');
    expect(config.companies).toEqual([
      {
        cif: '12345674',
        shortName: 'Ali3',
        name: '1.Alina3- SAF-T',
        environment: 'prod',
        exportFolder: join(dir, 'export', 'ali3'),
        partitionFilter: 'Subunitate like ‘Iasi’',
        intake: { pathPattern: '{branch}/{user}/*.xml' },
        flags: { autofactura: true },
        b2c: true,
      },
    ]);
  });

  it('reads JSON the same way', () => {
    const file = write('efact.json', JSON.stringify({ serverId: 2, http: { port: 0 }, engine: { windowDays: 30 } }));
    const config = loadConfig({ file, env: {} });
    expect(config.serverId).toBe(2);
    expect(config.http.port).toBe(0);
    expect(config.engine.windowDays).toBe(30);
    expect(config.dataDir).toBe(join(dir, 'efact-data'));
    // a file was given, so no demo data even without companies
    expect(config.demo).toBe(false);
  });

  it('treats an empty YAML file as all defaults, and accepts .yaml and a BOM', () => {
    expect(loadConfig({ file: write('empty.yaml', ''), env: {} }).serverId).toBe(1);
    expect(loadConfig({ file: write('bom.json', '\uFEFF{"seats": 2}'), env: {} }).seats).toBe(2);
  });

  it('finds the file through EFACT_CONFIG, relative to the working directory', () => {
    write('via-env.yml', 'serverId: 7');
    expect(loadConfig({ env: { EFACT_CONFIG: 'via-env.yml' }, cwd: dir }).serverId).toBe(7);
    // an explicit file wins over the variable
    write('explicit.yml', 'serverId: 8');
    expect(loadConfig({ file: join(dir, 'explicit.yml'), env: { EFACT_CONFIG: 'via-env.yml' }, cwd: dir }).serverId).toBe(8);
  });

  it('resolves sqlite: paths against the file’s folder and keeps absolute and postgres URLs', () => {
    expect(loadConfig({ file: write('a.yml', 'store: { url: "sqlite:db/x.db" }'), env: {} }).store.url).toBe(
      `sqlite:${join(dir, 'db', 'x.db')}`,
    );
    expect(loadConfig({ file: write('b.yml', 'store: { url: "sqlite:/var/efact.db" }'), env: {} }).store.url).toBe(
      'sqlite:/var/efact.db',
    );
    expect(loadConfig({ file: write('c.yml', 'store: { url: "sqlite::memory:" }'), env: {} }).store.url).toBe('sqlite::memory:');
    const pg = 'postgres://efact:pw@db.local/efact';
    expect(loadConfig({ file: write('d.yml', `store: { url: "${pg}" }`), env: {} }).store.url).toBe(pg);
  });

  it('resolves paths from the environment or overrides against the working directory', () => {
    const file = write('e.yml', 'dataDir: from-file');
    const work = join(dir, 'work');
    mkdirSync(work);
    expect(loadConfig({ file, env: { EFACT_DATA_DIR: 'from-env' }, cwd: work }).dataDir).toBe(join(work, 'from-env'));
    expect(loadConfig({ file, env: {}, cwd: work, overrides: { dataDir: 'from-cli' } }).dataDir).toBe(join(work, 'from-cli'));
    expect(loadConfig({ env: {}, cwd: work, overrides: { dataDir: '/abs/data' } }).dataDir).toBe('/abs/data');
  });

  it('strips trailing slashes from ANAF addresses', () => {
    const file = write('f.yml', 'anaf: { apiBaseUrl: "http://127.0.0.1:9999/" }');
    expect(loadConfig({ file, env: {} }).anaf.apiBaseUrl).toBe('http://127.0.0.1:9999');
  });
});

describe('loadConfig file errors', () => {
  it('names a missing file and the variable that pointed at it', () => {
    expect(problemsOf(() => loadConfig({ file: join(dir, 'nope.yml'), env: {} }))[0]).toContain('no such file');
    const [problem] = problemsOf(() => loadConfig({ env: { EFACT_CONFIG: join(dir, 'nope.yml') } }));
    expect(problem).toContain('(from EFACT_CONFIG)');
  });

  it('refuses other extensions', () => {
    const file = write('efact.ini', 'ServerID=1');
    expect(problemsOf(() => loadConfig({ file, env: {} }))[0]).toContain('.yml, .yaml or .json');
  });

  it('reports malformed YAML and JSON, duplicate keys, and a top level that is not a mapping', () => {
    expect(problemsOf(() => loadConfig({ file: write('a.yml', 'http: [1,'), env: {} }))[0]).toContain('not valid YAML');
    expect(problemsOf(() => loadConfig({ file: write('b.yml', 'seats: 1\nseats: 2'), env: {} }))[0]).toContain(
      'not valid YAML',
    );
    expect(problemsOf(() => loadConfig({ file: write('c.json', '{"seats": }'), env: {} }))[0]).toContain('not valid JSON');
    expect(problemsOf(() => loadConfig({ file: write('d.yml', '- 1\n- 2'), env: {} }))[0]).toContain('must be a mapping');
  });

  it('names the file in the error message', () => {
    const file = write('bad.yml', 'serverId: 0');
    expect(() => loadConfig({ file, env: {} })).toThrow(`Invalid configuration in ${file}`);
  });
});

describe('parseConfig', () => {
  it('checks values without reading files or the environment', () => {
    expect(parseConfig({ serverId: 5 }, { cwd: dir }).serverId).toBe(5);
    expect(problemsOf(() => parseConfig([1, 2]))[0]).toContain('must be a mapping');
  });
});

describe('partition filters in the configuration', () => {
  it('accepts the manuals\' FiltruSQL and refuses a broken one with the column of the mistake', () => {
    const company = { cif: '8000000000', shortName: 'A', name: 'A SRL' };
    expect(() => loadConfig({ env: {}, overrides: { companies: [{ ...company, partitionFilter: 'Subunitate like ‘Iasi’ and NrDoc=12' }] } })).not.toThrow();
    expect(() => loadConfig({ env: {}, overrides: { companies: [{ ...company, partitionFilter: 'Subunitate = ' }] } })).toThrow(
      /companies\[0\]\.partitionFilter: partition filter, column 14: expected a value/,
    );
  });
});
