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
import type { Store } from '../ports/store.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { FileSystemArchive } from '../adapters/archive/fs-archive.js';
import { AnafClient } from '../adapters/anaf/client.js';
import { startAnafSandbox, type AnafSandbox, type AnafSandboxOptions } from '../sandbox/anaf/server.js';
import { MemoryRateGovernor } from '../engine/governor/memory-governor.js';
import { Engine } from '../engine/engine.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineContext, type EngineLogger, type EngineSettings } from '../engine/context.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import { IntakeRejections } from '../engine/intake/intake-rejections.js';
import { buildApiApp } from '../http/app.js';
import { runDemo, DEMO_CIF } from '../demo/demo.js';
import { BatchedLedger } from './batched-ledger.js';
import { openConfiguredStore } from './configured-store.js';
import { VERSION } from './version.js';
import { CompanyAdmin } from './company-admin.js';
import { CompanyFolders } from './company-folders.js';

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
}

export interface Runtime {
  config: EfactConfig;
  store: Store;
  engine: Engine;
  intake: IntakeService;
  governor: MemoryRateGovernor;
  sandbox: AnafSandbox | null;
  apiUrl: string | null;
  app: FastifyInstance | null;
  ledger: BatchedLedger;
  /** Files of the export folders that were not accepted, for people to see. */
  rejections: IntakeRejections;
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
    const token = sandboxUrl ? SANDBOX_TOKEN : config.anaf.token;

    const governor = new MemoryRateGovernor({ clock, limits: config.limits, pacingMs: config.engine.pacingSeconds * 1000 });
    const ledger = new BatchedLedger(store, 500, 500, (e) => log.error({ err: String(e) }, 'writing the call ledger failed'));
    closers.push(() => ledger.flush());
    const connector = new AnafClient({
      apiBaseUrl,
      publicBaseUrl,
      token: () => {
        if (!token) throw new EfactError('PLATFORM_AUTH', 'no ANAF token configured (anaf.token or EFACT_ANAF_TOKEN)');
        return token;
      },
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
    const byCif = new Map(companies.map((c) => [c.cif, c]));
    const intake = new IntakeService(store, instance, (cif) => ({ flags: byCif.get(cif)?.flags ?? {}, b2c: byCif.get(cif)?.b2c ?? false }));

    const rejections = new IntakeRejections();
    // Export folders of every company in the store (configured or added at run time), followed as companies change.
    const folders = new CompanyFolders({
      store,
      intake,
      rejections,
      log,
      clock,
      pathPatternOf: (cif) => byCif.get(cif)?.intake.pathPattern ?? null,
      onAccepted: (id) => engine.wake(id),
    });
    await folders.start();
    closers.push(() => folders.stop());
    const companyAdmin = new CompanyAdmin(store, new Set(companies.map((c) => c.cif)), () => clock.now());

    let app: FastifyInstance | null = null;
    let apiUrl: string | null = null;
    if (options.http !== false) {
      const api = await buildApiApp({
        store,
        intake,
        engine,
        archive,
        rejections,
        version: VERSION,
        logger: false,
        companies: companyAdmin,
        access: { mode: config.http.auth, repeatLimit: config.http.repeatLimit, signInLimit: config.http.signInLimit },
        now: () => clock.now(),
      });
      app = api;
      closers.push(() => api.close());
      apiUrl = await api.listen({ host: config.http.host, port: config.http.port });
    }

    const demoStop = new AbortController();
    let demo: Promise<void> = Promise.resolve();
    if (config.demo) {
      demo = runDemo({ exportFolder: demoFolder, clock }, demoStop.signal).catch((e: unknown) => log.warn({ err: String(e) }, 'demo stopped'));
      closers.push(async () => {
        demoStop.abort();
        await demo;
      });
    }
    // engine.stop is harmless when it never started (tests start it themselves)
    closers.push(() => engine.stop());
    if (options.engine !== false) await engine.start();
    log.info({ host: os.hostname(), instance, apiUrl, sandbox: sandbox?.url ?? null }, 'efact started');

    return {
      config,
      store,
      engine,
      intake,
      rejections,
      governor,
      sandbox,
      apiUrl,
      app,
      ledger,
      stop: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
