/**
 * Debian's Chromium driven by playwright-core for the dashboard's browser tests: the web build
 * is made first when dist/web is missing or older than web/, and each test gets a fresh profile.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildOnceWhenStale, isOlderThanSources } from './build-once.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = process.cwd();
const WEB_INDEX = path.join(ROOT, 'dist', 'web', 'index.html');

/** Why the browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does: apt-get install -y chromium) to run the dashboard's browser tests`;
}

const stale = (): boolean => isOlderThanSources(WEB_INDEX, path.join(ROOT, 'web'));

/** Builds dist/web with Vite when missing or older than web/. */
export async function ensureWebBuilt(): Promise<void> {
  await buildOnceWhenStale('web', ROOT, stale, () => {
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(WEB_INDEX)) throw new Error(`vite build --config web/vite.config.ts failed:\n${r.stdout}${r.stderr}`);
  });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh, throw-away profile (--user-data-dir), English UI. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'efact-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'en-GB',
    viewport: { width: 1500, height: 1000 },
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
