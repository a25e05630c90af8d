import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { normalizeCif } from '../../domain/cif.js';
import { ALL_STATUSES, type InvoiceStatus } from '../../domain/invoice-status.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { StatusCount, Store } from '../../ports/store.js';
import type { CompanyEngineState } from '../../engine/engine-control.js';
import type { ErpFolderStore } from '../../ports/erp-folder.js';
import { erpFolderStoreOf } from '../../adapters/store/erp-folders.js';
import { monthOfPath } from '../../engine/intake/export-tree.js';
import { storeAction, storeOptions, type CommonOptions } from '../shared.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { openOAuth } from '../../server/oauth-wiring.js';
import type { EfactConfig } from '../../config/types.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import { tokenLine } from './auth.js';

interface StatusOptions extends CommonOptions {
  company?: string;
  json?: boolean;
  limit: string;
}

/** One line per company for the serve console: "DEMO 8000000000 test: queued 1 · downloaded 5 · nok 2". */
export function summarizeCounts(counts: StatusCount[], states: CompanyEngineState[]): string {
  const byCompany = new Map<number, StatusCount[]>();
  for (const c of counts) byCompany.set(c.companyId, [...(byCompany.get(c.companyId) ?? []), c]);
  const parts: string[] = [];
  for (const s of states) {
    const mine = byCompany.get(s.companyId) ?? [];
    const text = ALL_STATUSES.flatMap((st) => {
      const n = mine.filter((c) => c.status === st).reduce((a, c) => a + c.count, 0);
      return n > 0 ? [`${st} ${n}`] : [];
    }).join(' · ');
    const phase = s.phase === 'backoff' && s.backoffUntil ? `idle back-off until ${s.backoffUntil.toLocaleTimeString()}` : s.phase;
    parts.push(`${s.cif} (${s.environment}, ${phase}): ${text || 'no invoices yet'}`);
  }
  return parts.join(' | ');
}

interface CompanyReport {
  company: { cif: string; shortName: string; name: string; environment: string; sendingEnabled: boolean };
  counts: Partial<Record<InvoiceStatus, number>>;
  /** Counts per month: the export folder's month (Efact<yyyy>_<mm>), else the issue date's; newest first. */
  months: Array<{ month: string; counts: Partial<Record<InvoiceStatus, number>> }>;
  /** Answers that could not be written beside their invoices in the export folder. */
  writeBack: { errorCount: number; errors: Array<{ id: number; invoiceId: string; file: string | null; writeBackError: string; at: string }> };
  nok: Array<Pick<Invoice, 'id' | 'invoiceId' | 'series' | 'number'> & { branch: string | null; user: string | null; environment: string; messages: string[] }>;
  needsAttention: Array<{ id: number; invoiceId: string; reason: string | null }>;
  /** Invoices the local checks stopped before upload (status `invalid`), newest first, at most --limit. */
  invalid: InvalidInvoice[];
  /** The ANAF token of the company's OAuth profile, in one line (never the token). */
  anafToken?: string;
}

/** How many findings of one invalid invoice are listed; the rest are counted. */
export const FINDINGS_SHOWN = 3;

interface InvalidInvoice {
  id: number;
  invoiceId: string;
  series: string;
  number: string;
  issueDate: string | null;
  /** All local findings kept with the invoice (fatal and warnings). */
  findingCount: number;
  /** The first FINDINGS_SHOWN of them, in the order the validator reported them. */
  findings: Array<{ ruleId: string | null; severity: string | null; message: string; line: number | null }>;
}

export function invalidInvoice(i: Invoice): InvalidInvoice {
  const local = i.messages.filter((m) => m.source === 'local');
  return {
    id: i.id,
    invoiceId: i.invoiceId,
    series: i.series,
    number: i.number,
    issueDate: i.issueDate,
    findingCount: local.length,
    findings: local.slice(0, FINDINGS_SHOWN).map((m) => ({
      ruleId: m.ruleId ?? null,
      severity: m.severity ?? null,
      message: m.text,
      line: m.line !== undefined && m.line > 0 ? m.line : null,
    })),
  };
}

/** The token line of each company, by CIF; a vault that cannot be opened is reported, not fatal. */
async function tokenLines(config: EfactConfig, store: SqlStore, cifs: string[]): Promise<Map<string, string>> {
  const lines = new Map<string, string>();
  try {
    const { service, profileOf } = await openOAuth({ config, store, clock: systemClock, owner: `cli:${process.pid}` });
    const all = await service.statusAll();
    for (const cif of cifs) {
      const profile = await profileOf(cif);
      lines.set(
        cif,
        config.anaf.token !== undefined
          ? 'ANAF token: anaf.token override'
          : profile === undefined && config.sandbox.enabled
            ? 'ANAF token: the sandbox (no OAuth profile needed)'
            : tokenLine(all.find((p) => p.name === profile) ?? null, profile),
      );
    }
  } catch (e) {
    for (const cif of cifs) lines.set(cif, `ANAF token: unknown (${(e as Error).message})`);
  }
  return lines;
}

/** The month an invoice belongs to for people: its export folder's month, else its issue date's. */
export function invoiceMonth(sourcePath: string | null, issueDate: string | null): string {
  return (sourcePath ? monthOfPath(sourcePath) : null) ?? (issueDate && /^\d{4}-\d{2}/.test(issueDate) ? issueDate.slice(0, 7) : 'no month');
}

async function monthsOf(erp: ErpFolderStore | null, companyId: number): Promise<CompanyReport['months']> {
  if (!erp) return [];
  const by = new Map<string, Partial<Record<InvoiceStatus, number>>>();
  for (const r of await erp.listMonthRows(companyId)) {
    const m = invoiceMonth(r.sourcePath, r.issueDate);
    const c = by.get(m) ?? {};
    c[r.status] = (c[r.status] ?? 0) + 1;
    by.set(m, c);
  }
  return [...by.entries()].sort((a, b) => b[0].localeCompare(a[0])).map(([month, counts]) => ({ month, counts }));
}

async function report(store: Store, company: Company, limit: number): Promise<CompanyReport> {
  const erp = erpFolderStoreOf(store);
  const counts: Partial<Record<InvoiceStatus, number>> = {};
  for (const c of await store.countByStatus(company.id)) counts[c.status] = (counts[c.status] ?? 0) + c.count;
  const nok = await store.listInvoices({ companyId: company.id, status: 'nok', limit, order: 'desc' });
  const attention = await store.listInvoices({ companyId: company.id, status: 'needs-attention', limit, order: 'desc' });
  const invalid = await store.listInvoices({ companyId: company.id, status: 'invalid', limit, order: 'desc' });
  return {
    company: { cif: company.cif, shortName: company.shortName, name: company.name, environment: company.environment, sendingEnabled: company.sendingEnabled },
    counts,
    months: await monthsOf(erp, company.id),
    writeBack: {
      errorCount: erp ? await erp.countWriteBackErrors(company.id) : 0,
      errors: (erp ? await erp.listWriteBackErrors(company.id, limit) : []).map((e) => ({
        id: e.invoiceId,
        invoiceId: e.invoiceNumber,
        file: e.sourcePath,
        writeBackError: e.error,
        at: e.at.toISOString(),
      })),
    },
    nok: nok.map((i) => ({
      id: i.id,
      invoiceId: i.invoiceId,
      series: i.series,
      number: i.number,
      branch: i.origin.branch,
      user: i.origin.user,
      environment: i.environment,
      messages: i.messages.map((m) => m.text),
    })),
    needsAttention: attention.map((i) => ({ id: i.id, invoiceId: i.invoiceId, reason: i.lastError })),
    invalid: invalid.map(invalidInvoice),
  };
}

function printReport(r: CompanyReport): void {
  const out = (s = ''): boolean => process.stdout.write(`${s}\n`);
  out(`${r.company.shortName} — ${r.company.name} (CIF ${r.company.cif}, ${r.company.environment}${r.company.sendingEnabled ? '' : ', sending stopped'})`);
  const counts = ALL_STATUSES.filter((s) => r.counts[s]).map((s) => `${s}: ${r.counts[s]}`);
  out(`  ${counts.length ? counts.join('   ') : 'no invoices'}`);
  if (r.months.length > 1 || (r.months.length === 1 && r.months[0]!.month !== 'no month')) {
    out('  By month:');
    for (const m of r.months) {
      const line = ALL_STATUSES.filter((s) => m.counts[s]).map((s) => `${s} ${m.counts[s]}`);
      out(`    ${m.month.padEnd(8)}  ${line.join(' · ')}`);
    }
  }
  if (r.writeBack.errorCount > 0) {
    out(`  Answers not written beside the invoice in the export folder (${r.writeBack.errorCount}; tried again by itself):`);
    for (const e of r.writeBack.errors) out(`   #${e.id} ${e.invoiceId}  ${e.file ?? '-'}: ${e.writeBackError}`);
  }
  if (r.anafToken !== undefined) out(`  ${r.anafToken}`);
  if (r.nok.length) {
    out('  NOK — fix in the ERP and export again:');
    for (const n of r.nok) {
      out(`   #${n.id} ${n.invoiceId}  branch ${n.branch ?? '-'}  user ${n.user ?? '-'}  ${n.environment}`);
      for (const m of n.messages.length ? n.messages : ['(no message from ANAF)']) out(`       ${m}`);
    }
  }
  if (r.invalid.length) {
    const total = r.counts.invalid ?? r.invalid.length;
    const shown = total > r.invalid.length ? `, the newest ${r.invalid.length} listed` : '';
    out(`  Invalid — stopped by the local checks, not sent (${total}${shown}); fix in the ERP and export again:`);
    for (const n of r.invalid) {
      const count = `${n.findingCount} finding${n.findingCount === 1 ? '' : 's'}`;
      out(`   #${n.id} ${n.invoiceId}  issued ${n.issueDate ?? '-'}  ${count}`);
      for (const f of n.findings) out(`       ${f.ruleId ?? '-'}${f.line !== null ? ` (line ${f.line})` : ''}: ${f.message}`);
      if (n.findingCount > n.findings.length) out(`       … and ${n.findingCount - n.findings.length} more (efact validate on the file lists them all)`);
      if (n.findingCount === 0) out('       (no finding kept)');
    }
  }
  if (r.needsAttention.length) {
    out('  Needs attention:');
    for (const n of r.needsAttention) out(`   #${n.id} ${n.invoiceId}: ${n.reason ?? ''}`);
    out('   (after checking SPV: efact resend <#id>, or efact resend <#id> --upload-id <id found in SPV>)');
  }
  out();
}

export function registerStatus(program: Command): void {
  storeOptions(
    program
      .command('status')
      .description('invoice counts per status, the NOK invoices with ANAF\'s messages, and the invalid ones with their first findings'),
  )
    .option('--company <cif>', 'only this company (CIF, with or without RO)')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'NOK / invalid / needs-attention invoices listed per company', '20')
    .action(
      storeAction(async ({ config, store }, opts: StatusOptions) => {
        let companies = await store.listCompanies();
        if (opts.company !== undefined) {
          const cif = normalizeCif(opts.company);
          companies = companies.filter((c) => c.cif === cif);
          if (companies.length === 0) throw new EfactError('UNKNOWN_COMPANY', `no company with CIF ${opts.company}`);
        }
        const reports = await Promise.all(companies.map((c) => report(store, c, Number(opts.limit) || 20)));
        const tokens = await tokenLines(config, store, companies.map((c) => c.cif));
        for (const r of reports) {
          const line = tokens.get(r.company.cif);
          if (line !== undefined) r.anafToken = line;
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        else if (reports.length === 0) process.stdout.write('no companies configured yet\n');
        else reports.forEach(printReport);
      }),
    );
}
