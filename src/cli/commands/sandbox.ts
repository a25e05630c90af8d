import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { startAnafSandbox } from '../../sandbox/anaf/server.js';
import { runCommand } from '../shared.js';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the built-in ANAF e-Factura sandbox on its own (127.0.0.1 only)')
    .option('-p, --port <n>', 'port to listen on', '8090')
    .option('--delay <seconds>', 'processing delay before an upload is decided', '2')
    .action((opts: { port: string; delay: string }) =>
      runCommand(async () => {
        const port = Number(opts.port);
        const delay = Number(opts.delay);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EfactError('INVALID_CONFIG', `--port: ${opts.port} is not a port number`);
        if (!(delay >= 0)) throw new EfactError('INVALID_CONFIG', `--delay: ${opts.delay} is not a number of seconds`);
        const sandbox = await startAnafSandbox({ port, processingDelayMs: delay * 1000 });
        process.stdout.write(
          `ANAF sandbox listening at ${sandbox.url}\n  upload: POST ${sandbox.url}/test/FCTEL/rest/upload?standard=UBL&cif=...  (any bearer token)\nPress Ctrl+C to stop.\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandbox.close();
      }),
    );
}
