/**
 * Test-only crash points for the chaos harness (src/chaos). Inert unless the process was started
 * with the environment variable, which only the harness sets:
 *
 *   EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND=N  — the process kills itself with SIGKILL right after the
 *   platform accepted its N-th upload (the answer with the upload id has arrived) and before the
 *   store records that id: the crash that must be reconciled, never answered by a second upload.
 *
 * Read once at start-up; in normal runs the check is one comparison with 0.
 */
const killAfterUploads = Math.max(0, Math.floor(Number(process.env.EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND ?? 0)) || 0);
let acceptedUploads = 0;

/** Called between an accepted upload's answer and its recording. */
export function chaosAfterUploadSent(): void {
  if (killAfterUploads === 0) return;
  acceptedUploads++;
  if (acceptedUploads >= killAfterUploads) process.kill(process.pid, 'SIGKILL');
}
