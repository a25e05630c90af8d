/** The chaos run's summary table, as printed at the end. */
import type { ChaosResult } from './harness.js';

function table(rows: Array<[string, string]>): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

export function formatSummary(r: ChaosResult): string {
  const v = r.verdict;
  const o = r.options;
  const status = (s: string): string => String(v.byStatus[s] ?? 0);
  const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);
  const rows: Array<[string, string]> = [
    ['run', `--instances ${o.instances} --invoices ${o.invoices} --kills ${o.kills} --store ${o.store} --seed ${o.seed} (${r.seconds.toFixed(1)} s)`],
    ['kills', `${r.kills.random + r.kills.afterUploadSend} (${r.kills.random} at random moments, ${r.kills.afterUploadSend} between an accepted upload and its recording); ${r.kills.restarts} restarts`],
    ['accepted', `${r.fed.accepted} (${r.fed.retries} intake requests retried on another instance)`],
    ['in store', String(v.inStore)],
    ['lost', String(v.lost.length)],
    ['final', `${v.inStore - v.stillActive.length} of ${v.inStore}${v.stillActive.length ? `  (${v.stillActive.length} NOT final)` : ''}`],
    ['  downloaded', status('downloaded')],
    ['  nok (answered)', `${status('nok')} (${v.nokAnswered})`],
    ['  needs-attention', `${status('needs-attention')} (${v.needsAttentionTaken.length} of them taken by the platform)`],
    ...Object.entries(v.needsAttention).map(([reason, n]): [string, string] => ['    reason', `${n} × ${reason}`]),
    ['  invalid', status('invalid')],
    ['resent by a person', o.resend ? `${r.resentByPerson} upload(s) ANAF never confirmed, sent again after the run (POST /companies/{cif}/resend-unconfirmed)` : 'no (--no-resend)'],
    ['filed twice', `${v.duplicateFilings.length} (sandbox duplicateUploads ${r.sandbox.duplicateUploads.length}; max uploads per invoice ${Math.max(0, ...r.sandbox.uploads.map((u) => u.count))})`],
    ['unknown at platform', String(v.unknownAtPlatform.length)],
    ['archives complete', `${v.archivesChecked - v.archivesIncomplete.length} of ${v.archivesChecked} downloaded (zip + xml + signature)`],
    ['sandbox calls', `${r.sandbox.totalCalls} (${Object.entries(r.sandbox.calls).map(([k, n]) => `${k} ${n}`).join(', ')})`],
    ['faults injected', `${sum(r.sandbox.faults)} (${Object.entries(r.sandbox.faults).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`],
    ['quota answers', `${sum(r.sandbox.quotaAnswers)} earned by exceeding a limit${sum(r.sandbox.quotaAnswers) ? ` (${JSON.stringify(r.sandbox.quotaAnswers)})` : ''}`],
    ['verdict', v.violations.length === 0 ? 'OK: 0 duplicates, 0 lost, all final' : `FAILED (${v.violations.length} violation(s))`],
  ];
  const lines = ['', 'Chaos run summary', table(rows)];
  for (const x of v.violations) lines.push(`  VIOLATION: ${x}`);
  return lines.join('\n');
}
