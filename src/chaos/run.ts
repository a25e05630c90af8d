/**
 * `npm run chaos -- --instances K --invoices N --kills M --store sqlite|postgres [--seed S] [--max-seconds T]`:
 * runs the chaos harness (harness.ts), prints the summary table, exits 1 on any violation
 * (2 on bad arguments or a harness failure).
 */
import { EfactError } from '../domain/errors.js';
import { parseChaosArgs } from './args.js';
import { runChaos } from './harness.js';
import { formatSummary } from './summary.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof EfactError ? e.message : String(e)}\n`);
    return 2;
  }
  const t0 = Date.now();
  const say = (line: string): void => {
    process.stdout.write(`[chaos ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  };
  try {
    const result = await runChaos(options, say);
    process.stdout.write(`${formatSummary(result)}\n`);
    if (options.keep) process.stdout.write(`  kept: ${result.workDir}${result.schema ? `, schema ${result.schema}` : ''}\n`);
    return result.verdict.violations.length === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`chaos harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

process.exitCode = await main();
// Children are gone; pools are closed. Do not wait for stray timers.
process.exit();
