import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { startAnafSandbox } from '../../sandbox/anaf/server.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../shared.js';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the built-in ANAF e-Factura sandbox on its own (127.0.0.1 only)')
    .option('-p, --port <n>', 'port to listen on', '8090')
    .option('--delay <seconds>', 'processing delay before an upload is decided', '2')
    .option('--oauth-tls <dir>', "also serve OAuth like logincert.anaf.ro: HTTPS with a client certificate; the sandbox CA, the client certificate and its key are written to <dir> (trust ca.pem with oauth.caFile; client.pem and client.key are the certificate a browser would present)")
    .action((opts: { port: string; delay: string; oauthTls?: string }) =>
      runCommand(async () => {
        const port = Number(opts.port);
        const delay = Number(opts.delay);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EfactError('INVALID_CONFIG', `--port: ${opts.port} is not a port number`);
        if (!(delay >= 0)) throw new EfactError('INVALID_CONFIG', `--delay: ${opts.delay} is not a number of seconds`);
        const sandbox = await startAnafSandbox({ port, processingDelayMs: delay * 1000, ...(opts.oauthTls !== undefined ? { oauth: { tls: true } } : {}) });
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
        await sandbox.close();
      }),
    );
}
