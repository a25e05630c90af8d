/**
 * The chaos harness (issue 3, part 6): the standalone sandbox with fault injection and K
 * `efact serve` instances as real processes on one store, N invoices fed through their REST APIs,
 * M SIGKILLs at random moments — some exactly between an accepted upload and its recording
 * (EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND, see engine/chaos-hooks.ts) — each killed instance started
 * again with the same serverId. At the end, the verdict of verify.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Store } from '../ports/store.js';
import { ACTIVE_STATUSES } from '../domain/invoice-status.js';
import { openStore } from '../adapters/store/open.js';
import { anafDay } from '../adapters/anaf/time.js';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import type { FaultConfig } from '../sandbox/anaf/faults.js';
import type { ChaosOptions } from './args.js';
import { ChaosRng } from './rng.js';
import { installCleanup, startChild, stopChild, type Child } from './children.js';
import { verify, type SandboxReport, type Verdict } from './verify.js';

/** One master key per chaos run, shared by its instances. */
const masterKey = randomBytes(32).toString('hex');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '..', 'cli', 'main.js');
export const CHAOS_CIF = '8000000000';
const BUYER_CIF = '8609468';

/** What the sandbox does to the instances: 5xx, dropped connections, slow answers, quota answers. */
export const CHAOS_FAULTS: FaultConfig = {
  errorRate: 0.02,
  dropRate: 0.01,
  malformedRate: 0.005,
  latencyMs: [0, 40],
  // An injected 429 stops every instance until the next minute: rare, or the run is all waiting.
  minuteQuotaRate: 0.0003,
  endpoints: {
    upload: { errorRate: 0.01, dropRate: 0.01, latencyMs: [0, 150] },
    // daily-quota answers where a pause costs nothing but that scope (the simple list)
    listaMesajeFactura: { quotaRate: 0.2 },
  },
};

/** Engine timings for a run that should end in minutes (EFACT_ENGINE_OVERRIDES); the sandbox lists an upload at once, so 20 s of grace is plenty. */
const ENGINE_OVERRIDES = { pollIntervalMs: 200, retryBaseMs: 500, idleBackoffMs: 3_000, idleQuietMs: 1_000, statusFallbackMs: 10_000, uncertainGraceMs: 20_000 };

export interface ChaosResult {
  options: ChaosOptions;
  seconds: number;
  finishedInTime: boolean;
  kills: { random: number; afterUploadSend: number; restarts: number };
  fed: { accepted: number; retries: number };
  /** Uploads ANAF never confirmed that the harness, as a person, sent again after the run (--no-resend: none). */
  resentByPerson: number;
  sandbox: SandboxReport;
  verdict: Verdict;
  workDir: string;
  schema: string | null;
}

interface Instance {
  serverId: number;
  dataDir: string;
  configFile: string;
  child: Child | null;
  apiUrl: string | null;
  startedAt: number;
  /** How long it works before it may be killed from outside. */
  minUptimeMs: number;
  /** Armed to kill itself after this many accepted uploads (0: not armed). */
  armed: number;
  restarting: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export async function runChaos(options: ChaosOptions, say: (line: string) => void = () => undefined): Promise<ChaosResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm run chaos does)`);
  const started = Date.now();
  const deadline = started + options.maxSeconds * 1000;
  const rng = new ChaosRng(options.seed);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'efact-chaos-'));
  let schema: string | null = null;
  const children: Child[] = [];
  installCleanup(() => {
    // process.exit follows at once: only synchronous clean-up here; a schema is named for dropping by hand.
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
    say(`interrupted; children killed; ${options.keep ? `work folder kept: ${workDir}` : 'work folder removed'}${schema ? `; drop schema ${schema} by hand` : ''}`);
  });

  // The store: a temporary SQLite file, or a fresh PostgreSQL schema. The harness opens it first
  // (creating and migrating it) and reads the progress from it.
  let storeUrl: string;
  if (options.store === 'postgres') {
    schema = `efact_chaos_${randomBytes(5).toString('hex')}`;
    storeUrl = withSchema(options.pgUrl!, schema);
    const client = new pg.Client({ connectionString: options.pgUrl });
    await client.connect();
    await client.query(`create schema "${schema}"`);
    await client.end();
  } else {
    storeUrl = `sqlite:${path.join(workDir, 'efact.db')}`;
  }
  const store: Store = await openStore(options.store === 'postgres' ? { url: storeUrl, poolSize: 2 } : { url: storeUrl });

  const instances: Instance[] = [];
  let sandbox: Child | null = null;
  const countersFile = path.join(workDir, 'sandbox-counters.json');
  const kills = { random: 0, afterUploadSend: 0, restarts: 0 };
  const fed = { accepted: 0, retries: 0 };
  const acceptedIds: number[] = [];
  let stopping = false;
  let finishedInTime = false;

  try {
    // The standalone sandbox, a real process with fault injection on.
    const sb = await startChild(
      'sandbox',
      [CLI, 'sandbox', '--port', '0', '--delay', '0', '--seed', String(options.seed), '--per-minute', String(options.perMinute), '--faults', JSON.stringify(CHAOS_FAULTS), '--counters-file', countersFile],
      { ready: /listening at (http:\/\/127\.0\.0\.1:\d+)/, logFile: path.join(workDir, 'sandbox.log') },
    );
    sandbox = sb.child;
    children.push(sb.child);
    const sandboxUrl = sb.match[1]!;
    say(`sandbox ${sandboxUrl}; store ${options.store}${schema ? ` (schema ${schema})` : ''}; work folder ${workDir}`);

    for (let serverId = 1; serverId <= options.instances; serverId++) {
      const dataDir = path.join(workDir, `instance-${serverId}`);
      mkdirSync(dataDir, { recursive: true });
      const configFile = path.join(workDir, `instance-${serverId}.json`);
      writeFileSync(
        configFile,
        JSON.stringify(
          {
            serverId,
            seats: options.instances,
            dataDir,
            demo: false,
            logLevel: 'warn',
            http: { host: '127.0.0.1', port: 0 },
            store: { url: storeUrl },
            sandbox: { enabled: true, url: sandboxUrl, processingDelaySeconds: 0 },
            anaf: { timeoutSeconds: 5 },
            engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0.2, concurrency: 4, uncertainUploadGraceMinutes: 1 },
            // 90 % of what the sandbox accepts: the governor keeps the instances under it
            limits: { perMinute: options.perMinute, headroom: 0.9 },
            companies: [{ cif: CHAOS_CIF, shortName: 'CHAOS', name: 'Chaos Test SRL', environment: 'test' }],
          },
          null,
          2,
        ),
      );
      instances.push({ serverId, dataDir, configFile, child: null, apiUrl: null, startedAt: 0, minUptimeMs: 0, armed: 0, restarting: false });
    }

    /** Armed crash points that may still fire (an armed instance that stays quiet for long stops counting). */
    const outstanding = (): number => instances.filter((x) => x.armed > 0 && x.child?.alive === true && Date.now() - x.startedAt < 10_000).length;
    const killsLeft = (): number => options.kills - kills.random - kills.afterUploadSend - outstanding();
    /** A third of the kills are kept for crash points after an accepted upload, while uploads remain to be made. */
    const reserved = Math.ceil(options.kills / 3);
    let uploadsRemain = true;
    const crashPointsOwed = (): number => (uploadsRemain ? Math.max(0, reserved - kills.afterUploadSend - outstanding()) : 0);
    /** Starts (or restarts) an instance; some starts arm the crash point after an accepted upload. */
    const start = async (inst: Instance, restart: boolean): Promise<void> => {
      // Instances sharing one store share one master key (as a real deployment must: EFACT_MASTER_KEY).
      const env: NodeJS.ProcessEnv = {
        EFACT_ENGINE_OVERRIDES: JSON.stringify(ENGINE_OVERRIDES),
        EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND: '',
        EFACT_MASTER_KEY: masterKey,
      };
      inst.armed = 0;
      if (killsLeft() > 0 && (crashPointsOwed() > 0 || rng.next() < 0.3)) {
        inst.armed = rng.int(1, 6);
        env.EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND = String(inst.armed);
      }
      const args = [CLI, 'serve', '--config', inst.configFile, ...(restart ? options.restartArgs : [])];
      const { child, match } = await startChild(`instance ${inst.serverId}`, args, {
        env,
        ready: /REST API:\s+(http:\/\/127\.0\.0\.1:\d+)\//,
        logFile: path.join(workDir, `instance-${inst.serverId}.out.log`),
        timeoutMs: 60_000,
      });
      children.push(child);
      inst.child = child;
      inst.apiUrl = match[1]!;
      inst.startedAt = Date.now();
      inst.minUptimeMs = rng.int(2_000, 10_000);
      void child.exited.then(({ signal }) => {
        inst.apiUrl = null;
        if (stopping) return;
        if (signal === 'SIGKILL' && inst.armed > 0) {
          kills.afterUploadSend++;
          say(`instance ${inst.serverId} killed itself after its upload #${inst.armed} was accepted, before recording it`);
        } else if (signal !== 'SIGKILL') {
          say(`instance ${inst.serverId} ended by itself (signal ${signal ?? '-'}); starting it again`);
        }
        inst.armed = 0;
        void restartLater(inst);
      });
    };
    const restartLater = async (inst: Instance): Promise<void> => {
      if (stopping) return;
      inst.restarting = true;
      await sleep(rng.int(100, 800));
      for (let tries = 0; !stopping && tries < 5; tries++) {
        try {
          await start(inst, true);
          kills.restarts++;
          break;
        } catch (e) {
          say(`restart of instance ${inst.serverId} failed: ${e instanceof Error ? e.message : String(e)}`);
          await sleep(1000);
        }
      }
      inst.restarting = false;
    };
    for (const inst of instances) {
      // A start may fail for reasons outside the run (e.g. the database busy with other schemas): try again.
      for (let tries = 1; ; tries++) {
        try {
          await start(inst, false);
          break;
        } catch (e) {
          if (tries >= 5) throw e;
          say(`start of instance ${inst.serverId} failed, trying again: ${e instanceof Error ? e.message.split('\n').slice(0, 2).join(' ') : String(e)}`);
          await sleep(1000);
        }
      }
    }

    // Feed the invoices through the REST APIs of live instances; a refused or broken request goes
    // to another instance (the same bytes twice are recognised as a duplicate, not a second invoice).
    const today = anafDay(new Date());
    const feed = async (): Promise<void> => {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (!stopping) {
          const i = next++;
          if (i >= options.invoices) return;
          const xml = buildSampleInvoice({ supplierCif: CHAOS_CIF, buyerCif: BUYER_CIF, id: `CH${options.seed}-${String(i).padStart(6, '0')}`, issueDate: today });
          for (;;) {
            if (stopping) return;
            const live = instances.filter((x) => x.apiUrl !== null);
            if (live.length === 0) {
              await sleep(100);
              continue;
            }
            const inst = rng.pick(live);
            try {
              const res = await fetch(`${inst.apiUrl}/api/v1/companies/${CHAOS_CIF}/invoices`, {
                method: 'POST',
                headers: { 'content-type': 'application/xml' },
                body: xml,
                signal: AbortSignal.timeout(15_000),
              });
              if (res.status === 200 || res.status === 202) {
                const body = (await res.json()) as { id: number };
                acceptedIds.push(body.id);
                fed.accepted++;
                break;
              }
              fed.retries++;
              await sleep(100);
            } catch {
              fed.retries++;
              await sleep(100);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
    };

    // The killer: SIGKILL to a random live instance now and then, while there is work left.
    let workLeft = true;
    const killer = async (): Promise<void> => {
      while (!stopping && workLeft) {
        await sleep(rng.int(300, 2500));
        if (killsLeft() - crashPointsOwed() <= 0) continue;
        // An instance works for a while (2–10 s) before it may be killed again, and one always stays up
        // when there are several: start-up is slow on a busy machine, and a run of dead instances proves little.
        const down = instances.filter((x) => x.child?.alive !== true || x.restarting).length;
        if (options.instances > 1 && down >= options.instances - 1) continue;
        const candidates = instances.filter((x) => x.child?.alive === true && !x.restarting && Date.now() - x.startedAt > x.minUptimeMs);
        if (candidates.length === 0) continue;
        const victim = rng.pick(candidates);
        victim.armed = 0; // killed from outside: its crash point no longer counts
        kills.random++;
        victim.child!.proc.kill('SIGKILL');
      }
    };

    const feeding = feed();
    const killing = killer();
    let lastLine = '';
    /** Progress lines until every accepted invoice is final (true) or the deadline passes (false). */
    const untilFinal = async (): Promise<boolean> => {
      for (;;) {
        await sleep(500);
        const counts = await store.countByStatus();
        const active = counts.filter((c) => ACTIVE_STATUSES.includes(c.status)).reduce((a, c) => a + c.count, 0);
        const toUpload = counts.filter((c) => c.status === 'queued' || c.status === 'uploading').reduce((a, c) => a + c.count, 0);
        uploadsRemain = fed.accepted < options.invoices || toUpload > 0;
        const summary = counts.map((c) => `${c.status} ${c.count}`).join(', ');
        const line = `${Math.round((Date.now() - started) / 1000)} s: fed ${fed.accepted}/${options.invoices}; ${summary || 'nothing yet'}; kills ${kills.random}+${kills.afterUploadSend}`;
        if (line.replace(/^\d+ s: /, '') !== lastLine) say(line);
        lastLine = line.replace(/^\d+ s: /, '');
        if (fed.accepted >= options.invoices && active === 0) return true;
        if (Date.now() > deadline) {
          say(`--max-seconds ${options.maxSeconds} reached`);
          return false;
        }
      }
    };
    finishedInTime = await untilFinal();
    workLeft = false;
    // The person's part: uploads that got no answer and never appeared in ANAF's list wait at
    // needs-attention; after checking SPV they are sent again (the verdict then proves none of
    // them was at ANAF: a resent one that was would show as filed twice). A resend may meet a
    // fault again, so a few rounds.
    let resentByPerson = 0;
    for (let round = 0; finishedInTime && options.resend && round < 3; round++) {
      const waiting = await store.listInvoices({ status: 'needs-attention', limit: 100_000 });
      if (!waiting.some((i) => i.uploadId === null)) break;
      const live = instances.find((x) => x.apiUrl !== null);
      if (live === undefined) {
        await sleep(500);
        continue;
      }
      const res = await fetch(`${live.apiUrl}/api/v1/companies/${CHAOS_CIF}/resend-unconfirmed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ confirm: true }),
        signal: AbortSignal.timeout(15_000),
      }).catch(() => null);
      if (res?.status !== 200) {
        say(`resend-unconfirmed on instance ${live.serverId} answered ${res?.status ?? 'nothing'}; trying again`);
        continue;
      }
      const { resent } = (await res.json()) as { resent: number };
      resentByPerson += resent;
      say(`a person sent again ${resent} upload(s) ANAF never confirmed`);
      finishedInTime = await untilFinal();
    }
    stopping = true;
    await Promise.race([Promise.all([feeding, killing]), sleep(20_000)]);
    for (const inst of instances) if (inst.child) await stopChild(inst.child);
    await stopChild(sandbox);

    const report = JSON.parse(readFileSync(countersFile, 'utf8')) as SandboxReport;
    const verdict = await verify({ store, acceptedIds, sandbox: report, dataDirs: instances.map((i) => i.dataDir) });
    if (!finishedInTime) verdict.violations.unshift(`not every invoice was final within --max-seconds ${options.maxSeconds}`);
    if (fed.accepted < options.invoices) verdict.violations.push(`only ${fed.accepted} of ${options.invoices} invoices were accepted`);
    return { options, seconds: (Date.now() - started) / 1000, finishedInTime, kills, fed, resentByPerson, sandbox: report, verdict, workDir, schema };
  } finally {
    stopping = true;
    for (const c of children) if (c.alive) c.proc.kill('SIGKILL');
    await store.close().catch(() => undefined);
    if (!options.keep) {
      if (schema && options.pgUrl) await dropSchema(options.pgUrl, schema).catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}
