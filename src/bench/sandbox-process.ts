/**
 * A sandbox in its own process for the benchmarks, so ANAF's side of the work does not share
 * Efact's event loop (the real ANAF does not run on the server's CPU either). Prints its URL as
 * one JSON line; stops when its parent closes stdin or sends SIGTERM.
 */
import { startAnafSandbox } from '../sandbox/anaf/server.js';

const unlimited = 1_000_000_000;
const sandbox = await startAnafSandbox({ processingDelayMs: 0, quotas: { perMinute: unlimited } });
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
