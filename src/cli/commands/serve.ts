import type { Command } from 'commander';
import { EfactError, isEfactError } from '../../domain/errors.js';
import { startRuntime } from '../../server/runtime.js';
import { createFileLogger, engineLogger } from '../../server/logger.js';
import { configFrom, runCommand, type CommonOptions } from '../shared.js';
import { DEMO_CIF } from '../../demo/demo.js';
import { summarizeCounts } from './status.js';
import { parseMonths } from '../../engine/erp-folder/months.js';
import type { EngineSettings } from '../../engine/context.js';

/**
 * EFACT_ENGINE_OVERRIDES (tests, the chaos harness, benchmarks only): a JSON object of engine
 * timings that the configuration file does not offer, e.g. {"retryBaseMs":500,"idleBackoffMs":2000}.
 */
const OVERRIDABLE = ['pollIntervalMs', 'retryBaseMs', 'idleBackoffMs', 'idleQuietMs', 'statusFallbackMs', 'uncertainGraceMs', 'listOverlapMs'] as const;

function engineOverridesFromEnv(): Partial<EngineSettings> {
  const text = process.env.EFACT_ENGINE_OVERRIDES;
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EfactError('INVALID_CONFIG', 'EFACT_ENGINE_OVERRIDES is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new EfactError('INVALID_CONFIG', 'EFACT_ENGINE_OVERRIDES must be a JSON object');
  const out: Partial<EngineSettings> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(OVERRIDABLE as readonly string[]).includes(k)) throw new EfactError('INVALID_CONFIG', `EFACT_ENGINE_OVERRIDES: unknown key ${k} (known: ${OVERRIDABLE.join(', ')})`);
    if (typeof v !== 'number' || !(v >= 0)) throw new EfactError('INVALID_CONFIG', `EFACT_ENGINE_OVERRIDES.${k}: expected milliseconds`);
    out[k as (typeof OVERRIDABLE)[number]] = v;
  }
  return out;
}
import { formatStatus } from './auth.js';

interface ServeOptions extends CommonOptions {
  port?: string;
  serverId?: string;
  takeover?: boolean;
  filter?: string;
  months?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server: intake, engine, REST API (no configuration: SQLite in ./efact-data, the built-in ANAF sandbox and a demo company)')
    .option('-c, --config <file>', 'configuration file (YAML or JSON)')
    .option('-d, --data <dir>', 'data folder (database, archive, logs)')
    .option('-p, --port <n>', 'HTTP port of the REST API')
    .option('--server-id <n>', "this instance's number among the instances sharing the store (the manuals' ServerID; config serverId)")
    .option('--takeover', 'take the server id over from a live instance, which then stops at its next heartbeat')
    .option('--filter <FiltruSQL>', "only invoices matching this partition filter, e.g. \"branch = 'Iasi'\" (config serverFilter)")
    .option('--months <list>', "take only these months of the export folders (Efact<yyyy>_<mm>), e.g. 2026-11,2026-12; kept until changed ('all' for every month)")
    .action((opts: ServeOptions) => runCommand(() => serve(opts)));
}

async function serve(opts: ServeOptions): Promise<number | undefined> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new EfactError('INVALID_CONFIG', `--port: ${opts.port} is not a port number (0..65535)`);
  }
  const serverId = opts.serverId === undefined ? undefined : /^\d+$/.test(opts.serverId.trim()) ? Number(opts.serverId) : opts.serverId;
  const base = {
    ...(port === undefined ? {} : { http: { port } }),
    ...(serverId === undefined ? {} : { serverId: serverId as number }),
    ...(opts.filter === undefined ? {} : { serverFilter: opts.filter }),
  };
  let config = configFrom(opts, base);
  if (config.demo && config.sandbox.enabled && opts.config === undefined && !process.env.EFACT_CONFIG) {
    // The demo runs against the sandbox only, so it may go faster than the manuals' 2 s minimum.
    config = configFrom(opts, {
      ...base,
      engine: { pacingSeconds: 0.5, allowFastPacing: true, passIntervalSeconds: 2 },
      sandbox: { processingDelaySeconds: 1 },
    });
  }
  const logger = createFileLogger(config.dataDir, config.logLevel);
  let runtime;
  let fenced: ((reason: EfactError) => void) | null = null;
  const lostRegistration = new Promise<EfactError>((resolve) => {
    fenced = resolve;
  });
  try {
    runtime = await startRuntime({
      config,
      log: engineLogger(logger),
      takeover: opts.takeover === true,
      onFenced: (reason) => fenced?.(reason),
      engineOverrides: engineOverridesFromEnv(),
    });
  } catch (e) {
    logger.flush();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new EfactError('INVALID_CONFIG', `port ${config.http.port} is already in use; choose another with --port N or http.port`);
    }
    if (isEfactError(e) && e.code === 'SERVER_ID_IN_USE') {
      // The manuals' message, verbatim, as the first line: people and scripts look for it.
      const d = e.details ?? {};
      process.stderr.write(`${e.message}\n`);
      process.stderr.write(`efact: server ${config.serverId} is held by host ${String(d.host)}, pid ${String(d.pid)} (lease until ${String(d.leaseUntil)}); ` +
        'start with --takeover to replace it, or choose another --server-id\n');
      return 2;
    }
    throw e;
  }
  if (opts.months !== undefined) {
    const list = opts.months.trim().toLowerCase() === 'all' ? [] : parseMonths(opts.months.split(',').filter(Boolean));
    for (const c of await runtime.store.listCompanies()) if (c.exportFolder) await runtime.erpFolders.setMonths(c.cif, list);
  }
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  out(`Efact ${config.serverId === 1 ? '' : `server ${config.serverId} `}is running.`);
  out(`  Dashboard:  ${runtime.apiUrl}/   (open it in a browser)`);
  out(`  REST API:   ${runtime.apiUrl}/api/v1/invoices   (OpenAPI: ${runtime.apiUrl}/api/v1/openapi.json)`);
  const guarded = config.http.auth === 'required' || (await runtime.store.hasApiKeys());
  out(
    guarded
      ? '  Access:     API keys required (Authorization: Bearer <key>); efact apikey list'
      : '  Access:     open on this machine only (no API key yet); guard it with: efact apikey create --name admin --role admin',
  );
  out(`  Data:       ${config.dataDir}   (logs in ${config.dataDir}/logs/efact.log)`);
  out(runtime.sandbox ? `  ANAF:       built-in sandbox at ${runtime.sandbox.url} (test/prod simulated; nothing leaves this machine)` : `  ANAF:       ${config.anaf.apiBaseUrl}`);
  if (config.demo) {
    out(`  Demo:       company CIF ${DEMO_CIF}; its ERP export folder is ${config.dataDir}/demo-export — invoices appear there every few seconds`);
    out(`              try: efact status --company ${DEMO_CIF}${opts.data ? ` --data ${opts.data}` : ''}`);
  }
  if (runtime.apiUrl) out(`  OAuth:      callback ${runtime.apiUrl}/api/v1/oauth/callback (efact auth login --company CIF)`);
  for (const s of await runtime.oauth.service.statusAll().catch(() => [])) for (const line of formatStatus(s)) out(`              ${line.trim()}`);
  out('Press Ctrl+C to stop.');

  let last = '';
  const told = new Set<string>();
  const timer = setInterval(() => {
    const time = `[${new Date().toLocaleTimeString()}]`;
    for (const r of runtime.rejections.list()) {
      const key = `${r.companyCif}|${r.file}|${r.at.getTime()}`;
      if (!told.has(key)) out(`${time} ${r.companyCif}: ${r.file} not accepted: ${r.message} (${r.code})`);
      told.add(key);
    }
    void runtime.store.countByStatus().then((counts) => {
      const line = summarizeCounts(counts, runtime.engine.states());
      if (line !== last) out(`${time} ${line}`);
      last = line;
    });
  }, 2000);

  const lost = await Promise.race([
    lostRegistration,
    new Promise<null>((resolve) => {
      const stop = (): void => resolve(null);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }),
  ]);
  clearInterval(timer);
  if (lost !== null) process.stderr.write(`efact: ${lost.message}\n`);
  out('stopping…');
  await runtime.stop();
  logger.flush();
  return lost === null ? undefined : 3;
}
