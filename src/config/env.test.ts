import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envLayers } from './env.js';
import { loadConfig } from './load.js';
import { problemsOf } from './testing/problems.js';

describe('environment variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'efact-env-'));
  const file = join(dir, 'efact.yml');
  writeFileSync(
    file,
    ['serverId: 2', 'dataDir: file-data', 'http: { port: 8000 }', 'store: { url: "sqlite:file.db" }', 'logLevel: warn'].join('\n'),
  );

  it('override the file', () => {
    const config = loadConfig({
      file,
      cwd: dir,
      env: {
        EFACT_DATA_DIR: '/srv/efact',
        EFACT_PORT: '9090',
        EFACT_STORE_URL: 'postgres://efact@db/efact',
        EFACT_ANAF_TOKEN: 'tok',
        EFACT_SERVER_ID: '5',
        EFACT_LOG_LEVEL: 'DEBUG',
      },
    });
    expect(config.dataDir).toBe('/srv/efact');
    expect(config.http.port).toBe(9090);
    expect(config.store.url).toBe('postgres://efact@db/efact');
    expect(config.anaf.token).toBe('tok');
    expect(config.sandbox.enabled).toBe(false);
    expect(config.serverId).toBe(5);
    expect(config.logLevel).toBe('debug');
  });

  it('leave the file alone when unset or empty', () => {
    const config = loadConfig({ file, cwd: dir, env: { EFACT_PORT: '', EFACT_ANAF_TOKEN: '  ' } });
    expect(config.http.port).toBe(8000);
    expect(config.serverId).toBe(2);
    expect(config.store.url).toBe(`sqlite:${join(dir, 'file.db')}`);
    expect(config.anaf.token).toBeUndefined();
  });

  it('name the variable when a value is bad', () => {
    const problems = problemsOf(() =>
      loadConfig({
        cwd: dir,
        env: { EFACT_PORT: 'eighty', EFACT_SERVER_ID: '0', EFACT_LOG_LEVEL: 'loud', EFACT_STORE_URL: 'mysql://x' },
      }),
    );
    expect(problems).toEqual([
      "serverId (set by EFACT_SERVER_ID): 0 is below the minimum 1 (allowed: a whole number 1..999; the manuals' ServerID)",
      'http.port (set by EFACT_PORT): "eighty" is not a whole number (allowed: a whole number 0..65535)',
      expect.stringMatching(/^store\.url \(set by EFACT_STORE_URL\): "mysql:\/\/x" is not a supported store/),
      'logLevel (set by EFACT_LOG_LEVEL): "loud" is not one of the allowed values (allowed: one of trace, debug, info, warn, error)',
    ]);
  });

  it('are not mistaken for numbers when they only start with digits', () => {
    expect(problemsOf(() => loadConfig({ env: { EFACT_PORT: '80abc' } }))[0]).toContain('"80abc" is not a whole number');
  });

  it('each become a layer of their own', () => {
    expect(envLayers({ EFACT_PORT: '1', EFACT_OTHER: 'x' })).toEqual([
      { source: { kind: 'env', variable: 'EFACT_PORT' }, values: { http: { port: 1 } } },
    ]);
  });
});
