/**
 * Official (XSLT) results cached on disk by stylesheet hash + input hash, so agreement reruns
 * take seconds instead of minutes. The validator is only created (SEF loaded) on a cache miss.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createOfficialValidator, type OfficialValidator } from '../official/official-validator.js';
import { sha256 } from '../official/saxon.js';
import type { Finding } from '../types.js';

export interface OfficialOutcome {
  findings: Finding[];
  /** The XSLT stopped with a dynamic error (no SVRL): the input is left out of the comparison. */
  error?: string;
  ms: number;
  cached: boolean;
}

export class CachedOfficial {
  private validator: OfficialValidator | null = null;
  private readonly xsltHash: string;

  constructor(
    private readonly xsltPath: string,
    private readonly cacheDir: string,
  ) {
    this.xsltHash = sha256(readFileSync(xsltPath, 'utf8'));
  }

  run(xml: string): OfficialOutcome {
    const dir = path.join(this.cacheDir, 'official-results', this.xsltHash.slice(0, 16));
    const file = path.join(dir, `${sha256(xml)}.json`);
    if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as OfficialOutcome), cached: true };
    this.validator ??= createOfficialValidator({ xsltPath: this.xsltPath, cacheDir: this.cacheDir });
    let outcome: OfficialOutcome;
    const t0 = performance.now();
    try {
      const r = this.validator.validate(xml);
      outcome = { findings: r.findings, ms: r.ms, cached: false };
    } catch (e) {
      outcome = { findings: [], error: (e as Error).message.slice(0, 300), ms: performance.now() - t0, cached: false };
    }
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(outcome));
    renameSync(tmp, file);
    return outcome;
  }
}
