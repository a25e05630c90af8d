/**
 * `efact servers`: the instances registered in the store (the manuals' status bar of servers),
 * and `efact servers sync`, which re-aligns the registry after the seats were reduced (the
 * manuals' double click on the status bar).
 */
import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { isLive, type ServerRegistration } from '../../domain/server-registry.js';
import { configFrom, runCommand, storeAction, storeOptions, withStore, type CommonOptions } from '../shared.js';

interface ServersOptions extends CommonOptions {
  json?: boolean;
}

interface SyncOptions extends CommonOptions {
  olderThan: string;
}

type State = 'live' | 'expired' | 'stopped';

function stateOf(r: ServerRegistration, now: Date): State {
  if (r.stoppedAt !== null) return 'stopped';
  return isLive(r, now) ? 'live' : 'expired';
}

/** "12 s", "5 min", "3 h", "2 d": how long ago, roughly. */
export function ago(from: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function formatServers(registrations: ServerRegistration[], seats: number, now: Date): string {
  if (registrations.length === 0) return `no server has registered yet (seats: ${seats})`;
  const rows = [['ID', 'STATE', 'HOST', 'PID', 'FILTER', 'STARTED', 'LAST HEARTBEAT', 'CLAIMED', 'UPLOADED']];
  for (const r of registrations) {
    const state = stateOf(r, now);
    const mark =
      state === 'live'
        ? 'live'
        : state === 'stopped'
          ? `stopped ${ago(r.stoppedAt!, now)}`
          : `EXPIRED ${ago(r.leaseUntil, now)}`;
    rows.push([
      `${r.serverId}${r.serverId > seats ? '!' : ''}`,
      mark,
      r.host,
      String(r.pid),
      r.filter ?? '(none: what no filter covers)',
      r.startedAt.toISOString(),
      `${r.heartbeatAt.toISOString()} (${ago(r.heartbeatAt, now)})`,
      String(r.claimed),
      String(r.uploaded),
    ]);
  }
  const live = registrations.filter((r) => stateOf(r, now) === 'live').length;
  const over = registrations.filter((r) => r.serverId > seats);
  const lines = [table(rows), '', `${live} live of ${seats} seat${seats === 1 ? '' : 's'}`];
  if (over.length > 0) lines.push(`! id above the ${seats} seats configured: run \`efact servers sync\` to re-align`);
  return lines.join('\n');
}

export function registerServers(program: Command): void {
  const servers = storeOptions(
    program.command('servers').description('the instances registered in the store: id, host, pid, filter, last heartbeat, work done'),
  )
    .option('--json', 'machine-readable output')
    .action(
      storeAction(async ({ config, store }, opts: ServersOptions) => {
        const list = await store.listServers();
        const now = new Date();
        if (opts.json) {
          const items = list.map((r) => ({ ...r, state: stateOf(r, now), aboveSeats: r.serverId > config.seats }));
          process.stdout.write(`${JSON.stringify({ seats: config.seats, items }, null, 2)}\n`);
        } else {
          process.stdout.write(`${formatServers(list, config.seats, now)}\n`);
        }
      }),
    );

  // Not storeAction: --older-than is checked before the store is opened (opening creates it).
  storeOptions(
    servers
      .command('sync')
      .description('re-align registrations after seats were reduced: remove ids above seats (those instances stop) and registrations expired long ago'),
  )
    .option('--older-than <minutes>', 'remove registrations whose lease ran out more than this long ago', '60')
    // --config / --data may be read by the parent `servers` command: take them from there too.
    .action((_opts: SyncOptions, cmd: Command) =>
      runCommand(async () => {
        const opts = cmd.optsWithGlobals<SyncOptions>();
        const minutes = Number(opts.olderThan);
        if (!Number.isFinite(minutes) || minutes < 0) {
          throw new EfactError('INVALID_REQUEST', `--older-than: ${opts.olderThan} is not a number of minutes (0 or more)`);
        }
        const config = configFrom(opts);
        return withStore(config, async (store) => {
          const removed = await store.syncServers({ seats: config.seats, staleAfterMs: minutes * 60_000 });
          const now = new Date();
          for (const { registration: r, reason } of removed) {
            const why =
              reason === 'above-seats'
                ? `id above the ${config.seats} seat${config.seats === 1 ? '' : 's'}${isLive(r, now) ? '; that instance stops at its next heartbeat' : ''}`
                : `lease ran out ${ago(r.leaseUntil, now)}`;
            process.stdout.write(`removed server ${r.serverId} (host ${r.host}, pid ${r.pid}): ${why}\n`);
          }
          const left = await store.listServers();
          process.stdout.write(
            removed.length === 0
              ? `nothing to re-align: ${left.length} registration${left.length === 1 ? '' : 's'}, all within ${config.seats} seat${config.seats === 1 ? '' : 's'}\n`
              : `${left.length} registration${left.length === 1 ? '' : 's'} left\n`,
          );
        });
      }),
    );
}
