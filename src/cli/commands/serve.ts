import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { startRuntime } from '../../server/runtime.js';
import { createFileLogger, engineLogger } from '../../server/logger.js';
import { configFrom, runCommand, type CommonOptions } from '../shared.js';
import { DEMO_CIF } from '../../demo/demo.js';
import { summarizeCounts } from './status.js';

interface ServeOptions extends CommonOptions {
  port?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server: intake, engine, REST API (no configuration: SQLite in ./efact-data, the built-in ANAF sandbox and a demo company)')
    .option('-c, --config <file>', 'configuration file (YAML or JSON)')
    .option('-d, --data <dir>', 'data folder (database, archive, logs)')
    .option('-p, --port <n>', 'HTTP port of the REST API')
    .action((opts: ServeOptions) => runCommand(() => serve(opts)));
}

async function serve(opts: ServeOptions): Promise<void> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new EfactError('INVALID_CONFIG', `--port: ${opts.port} is not a port number (0..65535)`);
  }
  let config = configFrom(opts, port === undefined ? {} : { http: { port } });
  if (config.demo && config.sandbox.enabled && opts.config === undefined && !process.env.EFACT_CONFIG) {
    // The demo runs against the sandbox only, so it may go faster than the manuals' 2 s minimum.
    config = configFrom(opts, {
      ...(port === undefined ? {} : { http: { port } }),
      engine: { pacingSeconds: 0.5, allowFastPacing: true, passIntervalSeconds: 2 },
      sandbox: { processingDelaySeconds: 1 },
    });
  }
  const logger = createFileLogger(config.dataDir, config.logLevel);
  let runtime;
  try {
    runtime = await startRuntime({ config, log: engineLogger(logger) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new EfactError('INVALID_CONFIG', `port ${config.http.port} is already in use; choose another with --port N or http.port`);
    }
    throw e;
  }
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  out(`Efact ${config.serverId === 1 ? '' : `server ${config.serverId} `}is running.`);
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

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(timer);
  out('stopping…');
  await runtime.stop();
  logger.flush();
}
