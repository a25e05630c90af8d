/**
 * `efact auth …`: ANAF OAuth profiles, the certificate login, refresh, revoke and status.
 *
 * Where the login's callback lands: ANAF sends the browser to the profile's redirect_uri. When
 * that address is on this machine (127.0.0.1 / localhost over http) and nothing listens on its
 * port, `auth login` listens there itself, once. When `efact serve` listens there (its route
 * GET /api/v1/oauth/callback), or the redirect_uri is a public address of the server, the server
 * takes the callback and `auth login` waits for the outcome in the store.
 */
import http from 'node:http';
import type { Command } from 'commander';
import { EfactError, isEfactError } from '../../domain/errors.js';
import { normalizeCif } from '../../domain/cif.js';
import type { OAuthProfileStatus } from '../../ports/oauth.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { OAuthProfileRepository } from '../../adapters/anaf/oauth/profiles.js';
import type { OAuthService } from '../../adapters/anaf/oauth/service.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import { openOAuth } from '../../server/oauth-wiring.js';
import { page } from '../../http/routes/auth/callback.js';
import { storeAction, storeOptions, type CommonOptions, type CommandStore } from '../shared.js';

interface TargetOptions extends CommonOptions {
  company?: string;
  profile?: string;
}

const out = (s = ''): boolean => process.stdout.write(`${s}\n`);

interface OAuthContext extends CommandStore {
  service: OAuthService;
  profileOf: (cif: string) => Promise<string | undefined>;
}

/** storeAction with the OAuth service of that store. */
function oauthAction<O extends CommonOptions, A extends unknown[] = []>(
  body: (ctx: OAuthContext, opts: O, ...args: A) => Promise<number | void>,
): ReturnType<typeof storeAction> {
  return storeAction(async ({ config, store }, opts: O, ...args: A) => {
    const { service, profileOf } = await openOAuth({ config, store, clock: systemClock, owner: `cli:${process.pid}` });
    return body({ config, store, service, profileOf }, opts, ...args);
  });
}

/** The profile named by --profile, or the one --company uses. */
async function profileFor(opts: TargetOptions, profileOf: (cif: string) => Promise<string | undefined>): Promise<string> {
  if (opts.profile !== undefined) return opts.profile;
  if (opts.company === undefined) throw new EfactError('INVALID_REQUEST', 'name the company (--company CIF) or the profile (--profile NAME)');
  const cif = normalizeCif(opts.company);
  if (cif === null) throw new EfactError('INVALID_REQUEST', `not a CIF: ${opts.company}`);
  const profile = await profileOf(cif);
  if (profile === undefined) {
    throw new EfactError(
      'INVALID_CONFIG',
      `company ${cif} names no OAuth profile: set one with efact company update --cif ${cif} --oauth-profile NAME (or companies[].oauthProfile / oauth.profile in the configuration), or use --profile NAME`,
    );
  }
  return profile;
}

async function readSecret(): Promise<string> {
  const fromEnv = process.env.EFACT_OAUTH_CLIENT_SECRET;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  if (process.stdin.isTTY) process.stderr.write('client secret (input is not echoed; end with Enter): ');
  const chunks: Buffer[] = [];
  if (process.stdin.isTTY) process.stdin.setRawMode?.(true);
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      const text = c.toString('utf8');
      const nl = text.search(/[\r\n\u0004]/);
      if (nl >= 0) {
        chunks.push(Buffer.from(text.slice(0, nl)));
        finish();
      } else chunks.push(c);
    };
    const finish = (): void => {
      process.stdin.off('data', onData);
      process.stdin.off('end', finish);
      if (process.stdin.isTTY) {
        process.stdin.setRawMode?.(false);
        process.stderr.write('\n');
      }
      process.stdin.pause();
      const secret = Buffer.concat(chunks).toString('utf8').trim();
      if (secret === '') reject(new EfactError('INVALID_REQUEST', 'no client secret given (stdin or EFACT_OAUTH_CLIENT_SECRET)'));
      else resolve(secret);
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', finish);
    process.stdin.resume();
  });
}

export function formatStatus(s: OAuthProfileStatus): string[] {
  const day = (d: Date | null): string => (d === null ? '-' : d.toISOString().slice(0, 10));
  const lines = [`${s.name} (client ${s.clientId}, redirect ${s.redirectUri})${s.companies.length ? ` — companies ${s.companies.join(', ')}` : ''}`];
  if (s.hasTokens) {
    lines.push(`  access token valid until ${day(s.accessExpiresAt)} (${s.accessDaysLeft} days left); refresh token until ${day(s.refreshExpiresAt)} (${s.refreshDaysLeft} days left)`);
    if (s.refreshedAt) lines.push(`  last refreshed ${s.refreshedAt.toISOString()}`);
  }
  if (!s.hasClientSecret) lines.push('  no client secret stored');
  if (s.state !== 'ok') lines.push(`  ${s.state === 'warning' ? 'WARNING' : s.state.toUpperCase()}: ${s.message}`);
  return lines;
}

/** One line for `efact status`: the token state of the company's profile. */
export function tokenLine(s: OAuthProfileStatus | null, profile: string | undefined): string {
  if (profile === undefined) return 'ANAF token: no OAuth profile (efact company update --oauth-profile NAME, or companies[].oauthProfile)';
  if (s === null) return `ANAF token: profile ${profile} not created yet (efact auth profile ${profile} …)`;
  if (!s.hasTokens) return `ANAF token: none — run efact auth login --profile ${profile}`;
  const base = `ANAF token (${profile}): valid until ${s.accessExpiresAt?.toISOString().slice(0, 10)} (${s.accessDaysLeft} days left)`;
  return s.state === 'ok' ? base : `${base} — ${s.state === 'warning' ? 'WARNING' : s.state.toUpperCase()}: ${s.message}`;
}

function isLoopback(u: URL): boolean {
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** Listens once on the redirect URI's port; null when the port is taken (a server is there). */
function oneShotListener(redirect: URL, service: OAuthService, state: string): Promise<{ done: Promise<void>; close: () => void } | null> {
  return new Promise((resolve, reject) => {
    let settle!: (e?: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      settle = (e?: unknown) => (e === undefined ? res() : rej(e));
    });
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirect.origin);
      if (url.pathname !== redirect.pathname) {
        res.writeHead(404).end();
        return;
      }
      const q = Object.fromEntries(url.searchParams.entries());
      if (q.state !== state) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Efact: not this login', 'This answer belongs to another login.'));
        return;
      }
      service.completeLogin(q).then(
        (r) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page('Efact: ANAF authorisation saved', `OAuth profile ${r.profile} is authorised. You may close this window.`));
          settle();
        },
        (e: unknown) => {
          res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(page('Efact: ANAF authorisation failed', isEfactError(e) ? e.message : 'internal error'));
          settle(e);
        },
      );
    });
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(null) : reject(e)));
    const port = Number(redirect.port || 80);
    server.listen(port, redirect.hostname.replace(/^\[|\]$/g, ''), () =>
      resolve({
        done: done.finally(() => server.close()),
        close: () => server.close(),
      }),
    );
  });
}

async function waitInStore(store: SqlStore, state: string, until: number): Promise<void> {
  const repo = new OAuthProfileRepository(store.db);
  for (;;) {
    const row = await repo.getLogin(state);
    if (row?.outcome === 'ok') return;
    if (row?.outcome === 'failed') throw new EfactError('PLATFORM_AUTH', row.message ?? 'the login failed');
    if (Date.now() > until) throw new EfactError('PLATFORM_TIMEOUT', 'no answer from ANAF reached the callback in time; start again with efact auth login');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function registerAuth(program: Command): void {
  const auth = program.command('auth').description('ANAF OAuth: profiles, the certificate login, token refresh, revoke and status');

  storeOptions(
    auth
      .command('profile <name>')
      .description('create or update an OAuth profile (from "Dezvoltatori aplicatii > Inregistrare pentru API-uri" at anaf.ro); the client secret is read from EFACT_OAUTH_CLIENT_SECRET or stdin and stored encrypted')
      .requiredOption('--client-id <id>', "the profile's Client ID")
      .requiredOption('--redirect-uri <uri>', "the Callback URL registered at ANAF, e.g. http://127.0.0.1:8080/api/v1/oauth/callback")
      .option('--keep-secret', 'keep the stored client secret (change only the id or the redirect URI)'),
  ).action(
    oauthAction(async ({ service }, opts: CommonOptions & { clientId: string; redirectUri: string; keepSecret?: boolean }, name: string) => {
      const clientSecret = opts.keepSecret ? undefined : await readSecret();
      await service.saveProfile({ name, clientId: opts.clientId, redirectUri: opts.redirectUri, ...(clientSecret !== undefined ? { clientSecret } : {}) });
      out(`OAuth profile ${name} saved (client secret ${clientSecret !== undefined ? 'stored encrypted' : 'kept'}). Next: efact auth login --profile ${name}`);
    }),
  );

  storeOptions(
    auth
      .command('login')
      .description('authorise Efact at ANAF with the qualified certificate: prints the address to open in a browser, then stores the tokens')
      .option('--company <cif>', 'the company whose OAuth profile to log in')
      .option('--profile <name>', 'the OAuth profile'),
  ).action(
    oauthAction(async ({ store, service, profileOf }, opts: TargetOptions) => {
      const profile = await profileFor(opts, profileOf);
      const start = await service.beginLogin(profile, opts.company === undefined ? null : normalizeCif(opts.company));
      const status = await service.status(profile);
      const redirect = new URL(status.redirectUri);
      out('Open this address in a browser on a computer where the qualified certificate works for SPV, and select the certificate when asked:');
      out();
      out(`  ${start.url}`);
      out();
      const listener = isLoopback(redirect) ? await oneShotListener(redirect, service, start.state) : null;
      out(
        listener
          ? `Waiting for ANAF's answer at ${redirect.origin}${redirect.pathname} (until ${start.expiresAt.toISOString()})…`
          : `Waiting for the server at ${redirect.origin}${redirect.pathname} to receive ANAF's answer (until ${start.expiresAt.toISOString()})…`,
      );
      try {
        if (listener) {
          const timer = new Promise<never>((_, reject) => {
            const t = setTimeout(() => reject(new EfactError('PLATFORM_TIMEOUT', 'no answer from ANAF reached the callback in time; start again with efact auth login')), start.expiresAt.getTime() - Date.now());
            t.unref();
          });
          await Promise.race([listener.done, timer]);
        } else {
          await waitInStore(store, start.state, start.expiresAt.getTime());
        }
      } finally {
        listener?.close();
      }
      for (const line of formatStatus(await service.status(profile))) out(line);
    }),
  );

  storeOptions(auth.command('status').description('token state per OAuth profile: valid until, days left, warnings').option('--json', 'machine-readable output')).action(
    oauthAction(async ({ service }, opts: CommonOptions & { json?: boolean }) => {
      const all = await service.statusAll();
      if (opts.json) out(JSON.stringify(all, null, 2));
      else if (all.length === 0) out('no OAuth profiles yet: efact auth profile NAME --client-id ID --redirect-uri URI');
      else for (const s of all) for (const line of formatStatus(s)) out(line);
      return all.some((s) => s.state !== 'ok') ? 1 : 0;
    }),
  );

  storeOptions(
    auth
      .command('refresh')
      .description('refresh the tokens now if due (or always with --force)')
      .option('--company <cif>', 'the company whose profile to refresh')
      .option('--profile <name>', 'the OAuth profile')
      .option('--force', 'refresh even when not due'),
  ).action(
    oauthAction(async ({ service, profileOf }, opts: TargetOptions & { force?: boolean }) => {
      const profile = await profileFor(opts, profileOf);
      await service.ensureFresh(profile, { force: opts.force ?? false });
      for (const line of formatStatus(await service.status(profile))) out(line);
    }),
  );

  storeOptions(
    auth
      .command('revoke')
      .description('revoke the tokens at ANAF and forget them (a new login is needed afterwards)')
      .option('--company <cif>', 'the company whose profile to revoke')
      .option('--profile <name>', 'the OAuth profile'),
  ).action(
    oauthAction(async ({ service, profileOf }, opts: TargetOptions) => {
      const profile = await profileFor(opts, profileOf);
      const result = await service.revoke(profile);
      out(result.revokedAtAnaf ? `tokens of ${profile} revoked at ANAF and removed` : `tokens of ${profile} removed here; ANAF did not confirm the revocation${result.message ? ` (${result.message})` : ''}`);
    }),
  );
}
