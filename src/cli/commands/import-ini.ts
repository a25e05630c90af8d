import { readFile, writeFile, access } from 'node:fs/promises';
import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { decodeIniBytes, importWmefServerIni, parseConfig, renderConfigYaml } from '../../config/index.js';
import { runCommand } from '../shared.js';

interface ImportOptions {
  cifs?: string;
  out?: string;
  force?: boolean;
}

/** "Ali3=RO18547290,Flo=8000000000" → { Ali3: 'RO18547290', Flo: '8000000000' } */
export function parseCifMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new EfactError('INVALID_REQUEST', `--cifs: "${pair}" is not SHORTNAME=CIF`);
    map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return map;
}

export function registerImportIni(program: Command): void {
  program
    .command('import-ini')
    .description("convert the manuals' WMEFServer.ini / WMEfact.ini into an Efact configuration file (values outside the manuals' bounds are refused)")
    .argument('<file>', 'the INI file')
    .option('--cifs <list>', 'the CIF of each company, as NumeSkema=CIF pairs separated by commas (the INI has none)')
    .option('-o, --out <file>', 'write the YAML here instead of printing it')
    .option('-f, --force', 'overwrite --out if it exists')
    .action((file: string, opts: ImportOptions) =>
      runCommand(async () => {
        const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
          throw new EfactError('INVALID_REQUEST', `${file}: ${e.code === 'ENOENT' ? 'no such file' : `cannot read it: ${e.message}`}`);
        });
        const text = decodeIniBytes(bytes);
        const { config, warnings } = importWmefServerIni(text, opts.cifs ? { cifs: parseCifMap(opts.cifs) } : {});
        const yaml = renderConfigYaml(config, { from: file, warnings });
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        if (!opts.out) {
          process.stdout.write(yaml);
          return 0;
        }
        // A file that would not load is not written: the user learns now, not at the next start.
        parseConfig(config);
        if (!opts.force && (await access(opts.out).then(() => true, () => false))) {
          throw new EfactError('INVALID_REQUEST', `${opts.out} exists; add --force to overwrite it`);
        }
        await writeFile(opts.out, yaml);
        process.stdout.write(`wrote ${opts.out}\n`);
        return 0;
      }),
    );
}
