/** `efact --help` and `efact <command> --help`: every command explains itself and its options. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from './helpers.js';

beforeAll(ensureCliBuilt, 180_000);

/** Each command with the words its help must contain: usage, what it does, every option. */
const COMMANDS: Record<string, { usage: RegExp; about: RegExp; options: string[] }> = {
  serve: {
    usage: /Usage: efact serve \[options\]/,
    about: /intake, engine, REST API/,
    options: ['-c, --config <file>', '-d, --data <dir>', '-p, --port <n>', 'HTTP port of the REST API', '--months <list>'],
  },
  sandbox: {
    usage: /Usage: efact sandbox \[options\]/,
    about: /ANAF e-Factura sandbox/,
    options: ['-p, --port <n>', '--delay <seconds>', 'processing delay'],
  },
  submit: {
    usage: /Usage: efact submit \[options\] <paths\.\.\.>/,
    about: /queue invoice XML files/,
    options: ['--company <cif>', '-c, --config <file>', '-d, --data <dir>', '--user <name>', '--branch <name>', '-q, --quiet', '--months <list>'],
  },
  status: {
    usage: /Usage: efact status \[options\]/,
    about: /counts per status/,
    options: ['-c, --config <file>', '-d, --data <dir>', '--company <cif>', '--json', '--limit <n>'],
  },
  promote: {
    usage: /Usage: efact promote \[options\]/,
    about: /Reset eFact/,
    options: ['--company <cif>', '-c, --config <file>', '-d, --data <dir>', '-y, --yes', 'do not ask for confirmation'],
  },
  resend: {
    usage: /Usage: efact resend \[options\] \[ids\.\.\.\]/,
    about: /upload ANAF never confirmed/,
    options: ['--company <cif>', '--unconfirmed', '--upload-id <id>', '-y, --yes', '-c, --config <file>', '-d, --data <dir>'],
  },
  months: {
    usage: /Usage: efact months \[options\]/,
    about: /which months of a company's export folder/,
    options: ['--company <cif>', '--set <list>', '--all', '--reset', '--json'],
  },
  'import-ini': {
    usage: /Usage: efact import-ini \[options\] <file>/,
    about: /WMEFServer\.ini/,
    options: ['--cifs <list>', '-o, --out <file>', '-f, --force', 'overwrite --out if it exists'],
  },
};

describe('efact --help', () => {
  it('describes the program and lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: efact \[options\] \[command\]/);
    expect(r.stdout).toContain('ANAF RO e-Factura');
    for (const name of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^\\s+${name} `, 'm'));
    expect(r.stdout).toContain('--version');
  });

  it('prints the version with --version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(Object.entries(COMMANDS))('efact %s --help describes the command and its options', async (name, expected) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(expected.usage);
    expect(r.stdout).toMatch(expected.about);
    expect(r.stdout).toContain('Options:');
    // commander wraps long descriptions; compare with the whitespace folded
    const folded = r.stdout.replace(/\s+/g, ' ');
    for (const option of expected.options) expect(folded).toContain(option);
    expect(folded).toContain('-h, --help');
  });

  it('refuses an unknown command with a non-zero exit', async () => {
    const r = await runCli(['sumbit']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'sumbit'/);
  });
});
