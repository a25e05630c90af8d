import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { startAnafSandbox } from '../../sandbox/anaf/server.js';
import type { FaultConfig } from '../../sandbox/anaf/faults.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../shared.js';

interface SandboxOptions {
  port: string;
  delay: string;
  seed?: string;
  perMinute?: string;
  faults?: string;
  countersFile?: string;
  oauthTls?: string;
}

/** --faults: a JSON object of fault rates (see FaultConfig), checked so that a typo does not pass silently. */
const RATE_KEYS = ['errorRate', 'dropRate', 'malformedRate', 'firewallRate', 'quotaRate', 'minuteQuotaRate', 'latencyMs'];

function parseFaults(text: string): FaultConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EfactError('INVALID_CONFIG', `--faults: not JSON: ${text.slice(0, 80)}`);
  }
  const check = (obj: unknown, where: string): void => {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new EfactError('INVALID_CONFIG', `--faults${where}: expected an object`);
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'endpoints' && where === '') {
        for (const [e, rates] of Object.entries(v as object)) check(rates, `.endpoints.${e}`);
        continue;
      }
      if (!RATE_KEYS.includes(k)) throw new EfactError('INVALID_CONFIG', `--faults${where}: unknown key ${k} (known: ${RATE_KEYS.join(', ')}, endpoints)`);
      const ok = k === 'latencyMs' ? typeof v === 'number' || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) : typeof v === 'number' && v >= 0 && v <= 1;
      if (!ok) throw new EfactError('INVALID_CONFIG', `--faults${where}.${k}: ${JSON.stringify(v)} is not ${k === 'latencyMs' ? 'ms or [min, max]' : 'a rate between 0 and 1'}`);
    }
  };
  check(value, '');
  return value as FaultConfig;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the built-in ANAF e-Factura sandbox on its own (127.0.0.1 only)')
    .option('-p, --port <n>', 'port to listen on', '8090')
    .option('--delay <seconds>', 'processing delay before an upload is decided', '2')
    .option('--seed <n>', 'seed of its random choices (faults, ids)')
    .option('--per-minute <n>', "calls per minute it accepts before answering 429 (ANAF's is 1000)")
    .option('--faults <json>', 'fault injection, e.g. {"errorRate":0.02,"dropRate":0.01,"latencyMs":[0,50],"minuteQuotaRate":0.001}')
    .option('--counters-file <path>', 'on stop, write its counters (calls, quota answers, faults, uploads per invoice) there as JSON')
    .option('--oauth-tls <dir>', "also serve OAuth like logincert.anaf.ro: HTTPS with a client certificate; the sandbox CA, the client certificate and its key are written to <dir> (trust ca.pem with oauth.caFile; client.pem and client.key are the certificate a browser would present)")
    .action((opts: SandboxOptions) =>
      runCommand(async () => {
        const port = Number(opts.port);
        const delay = Number(opts.delay);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EfactError('INVALID_CONFIG', `--port: ${opts.port} is not a port number`);
        if (!(delay >= 0)) throw new EfactError('INVALID_CONFIG', `--delay: ${opts.delay} is not a number of seconds`);
        const seed = opts.seed === undefined ? undefined : Number(opts.seed);
        if (seed !== undefined && !Number.isInteger(seed)) throw new EfactError('INVALID_CONFIG', `--seed: ${opts.seed} is not an integer`);
        const perMinute = opts.perMinute === undefined ? undefined : Number(opts.perMinute);
        if (perMinute !== undefined && !(Number.isInteger(perMinute) && perMinute >= 1)) throw new EfactError('INVALID_CONFIG', `--per-minute: ${opts.perMinute} is not a positive integer`);
        const faults = opts.faults === undefined ? undefined : parseFaults(opts.faults);
        const sandbox = await startAnafSandbox({
          port,
          processingDelayMs: delay * 1000,
          ...(seed !== undefined ? { seed } : {}),
          ...(perMinute !== undefined ? { quotas: { perMinute } } : {}),
          ...(faults !== undefined ? { faults } : {}),
          ...(opts.oauthTls !== undefined ? { oauth: { tls: true } } : {}),
        });
        let tlsLines = '';
        const tls = sandbox.oauth.tls;
        if (tls && opts.oauthTls !== undefined) {
          const dir = path.resolve(opts.oauthTls);
          mkdirSync(dir, { recursive: true });
          writeFileSync(path.join(dir, 'ca.pem'), tls.ca);
          writeFileSync(path.join(dir, 'client.pem'), tls.clientCertificate.cert);
          writeFileSync(path.join(dir, 'client.key'), tls.clientCertificate.key, { mode: 0o600 });
          tlsLines = `  OAuth (client certificate required): ${tls.url}/anaf-oauth2/v1/authorize — use oauth.baseUrl: ${tls.url} and oauth.caFile: ${path.join(dir, 'ca.pem')}\n  sandbox CA and client certificate written to ${dir}\n`;
        }
        process.stdout.write(
          `ANAF sandbox listening at ${sandbox.url}\n  upload: POST ${sandbox.url}/test/FCTEL/rest/upload?standard=UBL&cif=...  (any bearer token)\n${tlsLines}Press Ctrl+C to stop.\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        if (opts.countersFile !== undefined) {
          const c = sandbox.counters;
          const report = {
            calls: c.calls,
            totalCalls: c.totalCalls(),
            quotaAnswers: c.quotaAnswers,
            faults: c.faults,
            uploads: c.allUploads(),
            duplicateUploads: c.duplicateUploads(),
          };
          writeFileSync(opts.countersFile, JSON.stringify(report));
        }
        await sandbox.close();
      }),
    );
}
