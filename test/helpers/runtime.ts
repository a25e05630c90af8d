/**
 * A whole Efact instance for end-to-end tests: temp data folder, SQLite file, the built-in
 * sandbox (real HTTP on 127.0.0.1), fast engine settings, one test company.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { DeepPartial, EfactConfig } from '../../src/config/types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Invoice } from '../../src/domain/invoice.js';
import type { EngineSettings } from '../../src/engine/context.js';
import { silentLogger } from '../../src/engine/context.js';
import { startRuntime, type Runtime } from '../../src/server/runtime.js';
import type { AnafSandboxOptions } from '../../src/sandbox/anaf/server.js';
import type { ErpFolderOverrides } from '../../src/server/erp-folders.js';
import { buildSampleInvoice } from '../../src/sandbox/anaf/sample-invoice.js';

export const CIF = '8000000000';
export const BUYER = '8609468';

export interface TestRuntime {
  runtime: Runtime;
  dataDir: string;
  submit(xml: string | Uint8Array, overrides?: { series?: string; number?: string }): Promise<Invoice>;
  invoice(id: number): Promise<Invoice>;
  /** Waits (bounded) until the predicate holds for the invoice; returns it. */
  waitFor(id: number, predicate: (i: Invoice) => boolean, what: string, timeoutMs?: number): Promise<Invoice>;
  close(): Promise<void>;
}

export function sampleInvoice(id: string, extra: Partial<Parameters<typeof buildSampleInvoice>[0]> = {}): string {
  return buildSampleInvoice({ supplierCif: CIF, buyerCif: BUYER, id, issueDate: '2026-11-20', ...extra });
}

export async function startTestRuntime(options: {
  config?: DeepPartial<EfactConfig>;
  engine?: Partial<EngineSettings>;
  sandbox?: Partial<AnafSandboxOptions>;
  clock?: Clock;
  http?: boolean;
  startEngine?: boolean;
  erpFolder?: ErpFolderOverrides;
  /** Gap between two demo files when `config.demo` is on. */
  demoIntervalMs?: number;
} = {}): Promise<TestRuntime> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'efact-e2e-'));
  const base: DeepPartial<EfactConfig> = {
    dataDir,
    http: { port: 0 },
    demo: false,
    sandbox: { enabled: true, processingDelaySeconds: 0 },
    store: { synchronous: 'NORMAL' },
    engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 4 },
    // 'warn': these tests follow invoices through ANAF's NOK path in the sandbox; the local
    // validation's blocking is tested with validation: 'block' (test/validation.e2e.test.ts).
    companies: [{ cif: CIF, shortName: 'TEST', name: 'Test Company SRL', environment: 'test', validation: 'warn' }],
  };
  const config = loadConfig({ env: {}, overrides: { ...base, ...options.config, engine: { ...base.engine, ...options.config?.engine } } });
  const runtime = await startRuntime({
    config,
    log: silentLogger,
    http: options.http ?? false,
    engine: options.startEngine ?? true,
    ...(options.clock ? { clock: options.clock } : {}),
    engineOverrides: { pollIntervalMs: 20, retryBaseMs: 50, idleBackoffMs: 200, idleQuietMs: 0, ...options.engine },
    sandboxOptions: { ...options.sandbox },
    ...(options.erpFolder ? { erpFolderOverrides: options.erpFolder } : {}),
    ...(options.demoIntervalMs !== undefined ? { demoIntervalMs: options.demoIntervalMs } : {}),
  });
  const t: TestRuntime = {
    runtime,
    dataDir,
    async submit(xml, overrides = {}) {
      const out = await runtime.intake.submit({
        companyCif: CIF,
        xml: typeof xml === 'string' ? Buffer.from(xml) : xml,
        origin: { channel: 'api', sourcePath: null, computer: 'test', user: 'tester', branch: 'Sediu Central' },
        ...overrides,
      });
      runtime.engine.wake();
      return out.invoice;
    },
    async invoice(id) {
      const i = await runtime.store.getInvoice(id);
      if (!i) throw new Error(`invoice ${id} missing`);
      return i;
    },
    async waitFor(id, predicate, what, timeoutMs = 25_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = await t.invoice(id);
        if (predicate(i)) return i;
        if (Date.now() > deadline) {
          throw new Error(`invoice ${id} did not become ${what}; it is ${i.status} (lastError: ${i.lastError ?? '-'})`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
