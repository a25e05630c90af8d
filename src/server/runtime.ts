/**
 * The composition root: builds one Efact instance from its configuration — store, clock,
 * rate governor, ANAF connector (or the built-in sandbox), archive, engine, intake channels and
 * the HTTP API — and stops it cleanly. `efact serve`, the tests and the benchmarks all use it.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EfactError } from '../domain/errors.js';
import type { EfactConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { FileSystemArchive } from '../adapters/archive/fs-archive.js';
import { AnafClient } from '../adapters/anaf/client.js';
import { startAnafSandbox, type AnafSandbox, type AnafSandboxOptions } from '../sandbox/anaf/server.js';
import { MemoryRateGovernor } from '../engine/governor/memory-governor.js';
import { credentialsIdentity, platformIdentity, PostgresRateGovernor } from '../adapters/governor/postgres-governor.js';
import { isPostgresUrl } from '../adapters/store/postgres.js';
import type { RateGovernor } from '../ports/rate-governor.js';
import { Engine } from '../engine/engine.js';
import type { EngineControl } from '../engine/engine-control.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineContext, type EngineLogger, type EngineSettings } from '../engine/context.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import type { IntakeValidation } from '../engine/intake/local-validation.js';
import { invoiceValidatorFor } from './validator.js';
import { IntakeRejections } from '../engine/intake/intake-rejections.js';
import { buildApiApp } from '../http/app.js';
import { registerDashboard } from '../http/dashboard.js';
import { runDemo, DEMO_CIF } from '../demo/demo.js';
import { BatchedLedger } from './batched-ledger.js';
import { openConfiguredStore } from './configured-store.js';
import { VERSION } from './version.js';
import { CompanyAdmin } from './company-admin.js';
import { ServerLease } from '../engine/server-lease.js';
import type { ServerRegistration } from '../domain/server-registry.js';
import { startErpFolders, type ErpFolderOverrides, type ErpFolders } from './erp-folders.js';
import { startOAuth, type OAuthWiring } from './oauth-wiring.js';

/**
 * A live registration left by a process of this machine that no longer runs (killed, crashed)
 * need not wait for its lease: restarting after a crash is not "another server with the same
 * id". Only when the pid is certainly gone; a reused pid keeps the refusal (then --takeover).
 */
function crashedOnThisHost(holder: ServerRegistration): boolean {
  if (holder.host !== os.hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface RuntimeOptions {
  config: EfactConfig;
  clock?: Clock;
  log: EngineLogger;
  /** Start the HTTP API (default true). */
  http?: boolean;
  /** Start the engine loops (default true). */
  engine?: boolean;
  /** Use this sandbox instead of starting one (tests share one). */
  sandbox?: AnafSandbox;
  /** Engine settings not in the configuration file (tests, benchmarks). */
  engineOverrides?: Partial<EngineSettings>;
  /** Pass to the sandbox when this runtime starts it. */
  sandboxOptions?: Partial<AnafSandboxOptions>;
  /** Take the serverId over from a live instance (`efact serve --takeover`). */
  takeover?: boolean;
  /**
   * Called once when this instance loses its server registration (taken over by another, or
   * removed by `efact servers sync`): the engine has already stopped; the caller should stop.
   */
  onFenced?: (reason: EfactError) => void;
  /** ERP-folder knobs not in the configuration file (tests, benchmarks). */
  erpFolderOverrides?: ErpFolderOverrides;
  /** Gap between two demo files (default the demo's own, 3 s); tests shorten it. */
  demoIntervalMs?: number;
}

export interface Runtime {
  config: EfactConfig;
  store: SqlStore;
  engine: Engine;
  /** The vault and ANAF OAuth (login, refresh, status). */
  oauth: OAuthWiring;
  intake: IntakeService;
  /** In memory with SQLite; in PostgreSQL (shared by every instance) when the store is PostgreSQL. */
  governor: RateGovernor;
  sandbox: AnafSandbox | null;
  apiUrl: string | null;
  app: FastifyInstance | null;
  ledger: BatchedLedger;
  /** Files of the export folders that were not accepted, for people to see. */
  rejections: IntakeRejections;
  /** This instance's entry in the server registry, as registered at start. */
  registration: ServerRegistration;
  /** Export folders: intakes, month selection, answers written back. */
  erpFolders: ErpFolders;
  stop(): Promise<void>;
}

const SANDBOX_TOKEN = 'sandbox-token';

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

export function engineSettingsFrom(config: EfactConfig, overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    concurrency: config.engine.concurrency,
    passIntervalMs: config.engine.passIntervalSeconds * 1000,
    idleBackoffMs: config.engine.idleBackoffMinutes * 60_000,
    windowDays: config.engine.windowDays,
    uncertainGraceMs: config.engine.uncertainUploadGraceMinutes * 60_000,
    // A claimed download must outlast a slow request (a timeout, a retry of it) and a wait for the
    // minute's budget before another instance may take it; no longer, or a dead instance's claims wait.
    downloadLeaseMs: 2 * config.anaf.timeoutSeconds * 1000 + 60_000,
    // The lister renews its lease every status pass.
    listLeaseMs: Math.max(DEFAULT_ENGINE_SETTINGS.listLeaseMs, 3 * config.engine.passIntervalSeconds * 1000),
    ...overrides,
  };
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const instance = String(config.serverId);
  await mkdir(config.dataDir, { recursive: true });


  const companies = [...config.companies];
  const demoFolder = path.join(config.dataDir, 'demo-export');
  if (config.demo && !companies.some((c) => c.cif === DEMO_CIF)) {
    companies.push({
      cif: DEMO_CIF,
      shortName: 'DEMO',
      name: 'Demo Company SRL (sandbox)',
      environment: 'test',
      exportFolder: demoFolder,
      intake: {},
      flags: {},
      b2c: false,
      // The demo's story includes ANAF's NOKs (decided by the sandbox with the same rules): its
      // findings are kept with the invoice but do not stop it from reaching the sandbox.
      validation: 'warn',
    });
  }
  const store = await openConfiguredStore(config, { clock, log, companies });
  // What was opened, to close in reverse order on stop, or when the start fails half-way.
  const closers: Array<() => Promise<void>> = [() => store.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) {
      await close().catch((e: unknown) => log.error({ err: String(e) }, 'error while stopping'));
    }
    closers.length = 0;
  };
  try {
    if (options.http !== false && !isLoopback(config.http.host) && config.http.auth !== 'required' && !(await store.hasApiKeys())) {
      // Without a key the API is open to whoever reaches it: only this machine may.
      throw new EfactError(
        'INVALID_CONFIG',
        `http.host: ${config.http.host} is refused: no access control is configured, so the API would be open to the network. ` +
          'Create an admin key first (efact apikey create --name admin --role admin) or set http.auth: required; until then Efact listens on 127.0.0.1 only',
      );
    }
    // First, before anything listens or works: a second live instance with this id is refused here.
    const registration = await store.registerServer({
      serverId: config.serverId,
      seats: config.seats,
      host: os.hostname(),
      pid: process.pid,
      filter: config.serverFilter ?? null,
      leaseMs: config.serverLeaseSeconds * 1000,
      takeover: options.takeover === true,
      holderIsGone: crashedOnThisHost,
    });
    closers.push(() => store.deregisterServer());
    log.info({ serverId: registration.serverId, fencingToken: registration.fencingToken, filter: registration.filter }, 'server registered');

    let sandbox = options.sandbox ?? null;
    const ownSandbox = sandbox === null && config.sandbox.enabled && config.sandbox.url === undefined;
    if (ownSandbox) {
      sandbox = await startAnafSandbox({
        port: config.sandbox.port,
        clock,
        processingDelayMs: config.sandbox.processingDelaySeconds * 1000,
        ...(options.sandboxOptions ?? {}),
      });
      const own = sandbox;
      closers.push(() => own.close());
    }
    // The sandbox in this process, or one running elsewhere (sandbox.url), or the real ANAF.
    const sandboxUrl = sandbox?.url ?? (config.sandbox.enabled ? config.sandbox.url : undefined);
    const apiBaseUrl = sandboxUrl ?? config.anaf.apiBaseUrl;
    const publicBaseUrl = sandboxUrl ?? config.anaf.publicBaseUrl;
    const oauth = await startOAuth({
      config,
      store,
      clock,
      log,
      companies,
      sandbox,
      sandboxToken: sandboxUrl ? SANDBOX_TOKEN : null,
      owner: `${instance}:${process.pid}`,
    });
    closers.push(() => oauth.stop());

    const pacingMs = config.engine.pacingSeconds * 1000;
    let governor: RateGovernor;
    if (isPostgresUrl(config.store.url)) {
      // Instances sharing the database share the budget of the credentials they call with.
      const shared = new PostgresRateGovernor({
        url: config.store.url,
        // Its tables live beside the store's (migration 0003), in store.schema when one is set.
        ...(config.store.schema === undefined ? {} : { schema: config.store.schema }),
        clock,
        limits: config.limits,
        pacingMs,
        // One ANAF application's calls share one budget: the static token when set, else the OAuth clients in use.
        budgetKey: credentialsIdentity(apiBaseUrl, sandboxUrl ? SANDBOX_TOKEN : (config.anaf.token ?? 'oauth')),
        platformKey: platformIdentity(apiBaseUrl),
        instance,
      });
      closers.push(() => shared.close());
      governor = shared;
    } else {
      // One instance: counts in memory, with the day's quota counts kept in the store across restarts.
      const single = new MemoryRateGovernor({ clock, limits: config.limits, pacingMs, days: { store, platformKey: platformIdentity(apiBaseUrl) } });
      await single.restore();
      closers.push(() => single.flush());
      governor = single;
    }
    const ledger = new BatchedLedger(store, 500, 500, (e) => log.error({ err: String(e) }, 'writing the call ledger failed'));
    closers.push(() => ledger.flush());
    const connector = new AnafClient({
      apiBaseUrl,
      publicBaseUrl,
      token: (context) => oauth.tokenFor(context),
      governor,
      ledger,
      instance,
      clock,
      timeoutMs: config.anaf.timeoutSeconds * 1000,
    });
    const archive = new FileSystemArchive(config.dataDir);
    const ctx: EngineContext = {
      store,
      connector,
      archive,
      clock,
      instance,
      settings: engineSettingsFrom(config, options.engineOverrides),
      log,
    };
    const engine = new Engine(ctx);
    // PostgreSQL: work accepted or resumed by any instance wakes this one's worker (LISTEN/NOTIFY).
    const stopWakes = await store.listenWakes((companyId) => engine.wake(companyId ?? undefined));
    closers.push(stopWakes);
    // The API's "resume" reaches every instance's worker for the company, not only this one's.
    const control: EngineControl = {
      states: () => engine.states(),
      wake: (companyId) => engine.wake(companyId),
      resume: (companyId) => {
        engine.resume(companyId);
        if (companyId !== undefined) {
          store.notifyWake(companyId).catch((e: unknown) => log.warn({ err: String(e) }, 'announcing the resume to other instances failed'));
        }
      },
    };
    const byCif = new Map(companies.map((c) => [c.cif, c]));
    const validation: IntakeValidation = {
      validate: await invoiceValidatorFor(config, log),
      modeOf: (cif) => byCif.get(cif)?.validation ?? 'block',
    };
    const intake = new IntakeService(
      store,
      instance,
      (cif) => ({ flags: byCif.get(cif)?.flags ?? {}, b2c: byCif.get(cif)?.b2c ?? false }),
      undefined,
      validation,
    );

    const rejections = new IntakeRejections();
    // Every company of the store with an export folder, followed at run time (CLI, API).
    const erpFolders = await startErpFolders({
      store,
      companies,
      intake,
      rejections,
      archive,
      clock,
      log,
      onAccepted: (companyId) => engine.wake(companyId),
      ...(options.erpFolderOverrides ? { overrides: options.erpFolderOverrides } : {}),
    });
    closers.push(() => erpFolders.stop());
    const companyAdmin = new CompanyAdmin(store, new Set(companies.map((c) => c.cif)), () => clock.now());

    let app: FastifyInstance | null = null;
    let apiUrl: string | null = null;
    if (options.http !== false) {
      const api = await buildApiApp({
        store,
        servers: store,
        intake,
        engine: control,
        archive,
        rejections,
        erpFolders,
        version: VERSION,
        logger: false,
        governor,
        pdf: connector,
        oauth: oauth.service,
        vault: oauth.vault,
        companies: companyAdmin,
        access: { mode: config.http.auth, repeatLimit: config.http.repeatLimit, signInLimit: config.http.signInLimit },
        trustProxy: config.http.trustProxy,
        now: () => clock.now(),
        instance: { serverId: config.serverId, seats: config.seats },
      });
      await registerDashboard(api);
      app = api;
      closers.push(() => api.close());
      apiUrl = await api.listen({ host: config.http.host, port: config.http.port });
    }

    const demoStop = new AbortController();
    let demo: Promise<void> = Promise.resolve();
    if (config.demo) {
      demo = runDemo({ exportFolder: demoFolder, clock, ...(options.demoIntervalMs !== undefined ? { intervalMs: options.demoIntervalMs } : {}) }, demoStop.signal).catch((e: unknown) => log.warn({ err: String(e) }, 'demo stopped'));
      closers.push(async () => {
        demoStop.abort();
        await demo;
      });
    }
    // engine.stop is harmless when it never started (tests start it themselves)
    closers.push(() => engine.stop());
    engine.onHalt((reason) => options.onFenced?.(reason));
    const lease = new ServerLease({
      registry: store,
      clock,
      intervalMs: config.serverHeartbeatSeconds * 1000,
      log,
      onFenced: (reason) => engine.halt(reason),
    });
    lease.start();
    closers.push(() => lease.stop());
    if (options.engine !== false) await engine.start();
    if (options.engine !== false) oauth.startRefresher();
    log.info({ host: os.hostname(), instance, apiUrl, sandbox: sandbox?.url ?? null }, 'efact started');

    return {
      config,
      store,
      engine,
      oauth,
      intake,
      rejections,
      erpFolders,
      governor,
      sandbox,
      apiUrl,
      app,
      ledger,
      registration,
      stop: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
