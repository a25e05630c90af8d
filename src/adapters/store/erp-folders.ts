/**
 * The ErpFolderStore over the same Kysely handle as the SqlStore (one query text for SQLite and
 * PostgreSQL): the export folders' file index and the write-back bookkeeping (migration 0006).
 */
import type { Kysely } from 'kysely';
import type { Invoice } from '../../domain/invoice.js';
import type { ErpFolderStore, FolderFileEntry, FolderIndex, MonthRow, WriteBackError } from '../../ports/erp-folder.js';
import type { Store } from '../../ports/store.js';
import { pageLimit } from './dialect.js';
import { dateOrNull, invoiceFromRow, num } from './rows.js';
import type { StoreSchema } from './schema.js';
import { SqlStore } from './sql-store.js';

type Db = Kysely<StoreSchema>;

class SqlFolderIndex implements FolderIndex {
  constructor(
    private readonly db: Db,
    private readonly companyId: number,
    private readonly now: () => Date,
  ) {}

  async load(): Promise<FolderFileEntry[]> {
    const rows = await this.db.selectFrom('erp_files').selectAll().where('company_id', '=', this.companyId).execute();
    return rows.map((r) => ({
      path: r.path,
      size: num(r.size),
      mtimeMs: Number(r.mtime_ms),
      hash: r.hash,
      outcome: r.outcome,
      invoiceId: r.invoice_id === null ? null : num(r.invoice_id),
      code: r.code,
      message: r.message,
      sidecar: r.sidecar,
    }));
  }

  async put(e: FolderFileEntry): Promise<void> {
    const values = {
      size: e.size,
      mtime_ms: e.mtimeMs,
      hash: e.hash,
      outcome: e.outcome,
      invoice_id: e.invoiceId,
      code: e.code,
      message: e.message,
      sidecar: e.sidecar,
      updated_at: this.now().getTime(),
    };
    await this.db
      .insertInto('erp_files')
      .values({ company_id: this.companyId, path: e.path, ...values })
      .onConflict((oc) => oc.columns(['company_id', 'path']).doUpdateSet(values))
      .execute();
  }

  async remove(path: string): Promise<void> {
    await this.db.deleteFrom('erp_files').where('company_id', '=', this.companyId).where('path', '=', path).execute();
  }
}

export class SqlErpFolderStore implements ErpFolderStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  folderIndex(companyId: number): FolderIndex {
    return new SqlFolderIndex(this.db, companyId, this.now);
  }

  async listWriteBackDue(companyId: number, since: Date, now: Date, limit: number): Promise<Invoice[]> {
    // Changes since the watermark (served by invoices_company_updated_idx), not yet written back.
    const changed = await this.db
      .selectFrom('invoices as i')
      .leftJoin('erp_writeback as w', 'w.invoice_id', 'i.id')
      .selectAll('i')
      .where('i.company_id', '=', companyId)
      .where('i.origin_channel', '=', 'folder')
      .where('i.updated_at', '>=', since.getTime())
      .where((eb) =>
        eb.or([
          eb('w.invoice_id', 'is', null),
          eb.and([
            eb.or([eb('w.written_updated_at', 'is', null), eb('w.written_updated_at', '<>', eb.ref('i.updated_at'))]),
            eb.or([eb('w.next_try_at', 'is', null), eb('w.next_try_at', '<=', now.getTime())]),
          ]),
        ]),
      )
      .orderBy('i.updated_at')
      .orderBy('i.id')
      .limit(pageLimit(limit))
      .execute();
    // Failed earlier, older than the watermark, and due again.
    const retry = await this.db
      .selectFrom('erp_writeback as w')
      .innerJoin('invoices as i', 'i.id', 'w.invoice_id')
      .selectAll('i')
      .where('w.company_id', '=', companyId)
      .where('w.next_try_at', '<=', now.getTime())
      .where('w.error', 'is not', null)
      .orderBy('w.next_try_at')
      .limit(pageLimit(limit))
      .execute();
    const seen = new Set<number>();
    const out: Invoice[] = [];
    for (const row of [...retry, ...changed]) {
      const inv = invoiceFromRow(row);
      if (seen.has(inv.id)) continue;
      seen.add(inv.id);
      out.push(inv);
    }
    return out.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id - b.id);
  }

  async findSuccessor(invoiceId: number): Promise<Invoice | null> {
    const row = await this.db.selectFrom('invoices').selectAll().where('supersedes_id', '=', invoiceId).orderBy('id', 'desc').limit(pageLimit(1)).executeTakeFirst();
    return row === undefined ? null : invoiceFromRow(row);
  }

  async markWrittenBack(invoice: Invoice): Promise<void> {
    const values = { written_updated_at: invoice.updatedAt.getTime(), error: null, error_at: null, attempts: 0, next_try_at: null };
    await this.db
      .insertInto('erp_writeback')
      .values({ invoice_id: invoice.id, company_id: invoice.companyId, ...values })
      .onConflict((oc) => oc.column('invoice_id').doUpdateSet(values))
      .execute();
  }

  async markWriteBackFailed(invoice: Invoice, error: string, nextTryAt: Date): Promise<void> {
    const at = this.now().getTime();
    await this.db
      .insertInto('erp_writeback')
      .values({ invoice_id: invoice.id, company_id: invoice.companyId, written_updated_at: null, error, error_at: at, attempts: 1, next_try_at: nextTryAt.getTime() })
      .onConflict((oc) =>
        oc.column('invoice_id').doUpdateSet((eb) => ({
          error,
          error_at: at,
          next_try_at: nextTryAt.getTime(),
          attempts: eb('erp_writeback.attempts', '+', 1),
        })),
      )
      .execute();
  }

  async listWriteBackErrors(companyId: number, limit: number): Promise<WriteBackError[]> {
    const rows = await this.db
      .selectFrom('erp_writeback as w')
      .innerJoin('invoices as i', 'i.id', 'w.invoice_id')
      .select(['w.invoice_id', 'i.document_id', 'i.origin_path', 'i.status', 'w.error', 'w.error_at', 'w.attempts', 'w.next_try_at'])
      .where('w.company_id', '=', companyId)
      .where('w.error', 'is not', null)
      .orderBy('w.error_at', 'desc')
      .limit(pageLimit(limit))
      .execute();
    return rows.map((r) => ({
      invoiceId: num(r.invoice_id),
      invoiceNumber: r.document_id,
      sourcePath: r.origin_path,
      status: r.status,
      error: r.error ?? '',
      at: dateOrNull(r.error_at) ?? new Date(0),
      attempts: r.attempts,
      nextTryAt: dateOrNull(r.next_try_at),
    }));
  }

  async countWriteBackErrors(companyId: number): Promise<number> {
    const row = await this.db
      .selectFrom('erp_writeback')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('company_id', '=', companyId)
      .where('error', 'is not', null)
      .executeTakeFirst();
    return row ? Number(row.n) : 0;
  }

  async listMonthRows(companyId: number): Promise<MonthRow[]> {
    const rows = await this.db
      .selectFrom('invoices')
      .select(['status', 'issue_date', 'origin_path'])
      .where('company_id', '=', companyId)
      .execute();
    return rows.map((r) => ({ status: r.status, issueDate: r.issue_date, sourcePath: r.origin_path }));
  }
}

/** The ERP-folder store beside a Store, when the Store is the SQL one (the only kind today); null otherwise. */
export function erpFolderStoreOf(store: Store, now: () => Date = () => new Date()): ErpFolderStore | null {
  return store instanceof SqlStore ? new SqlErpFolderStore(store.db, now) : null;
}
