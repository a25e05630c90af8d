import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * The ERP-folder round trip: the export folders' file index (path → size, mtime, hash, outcome)
 * so a restart re-reads only what changed, and per invoice what was last written back beside
 * its file. Two indexes on invoices serve the write-back: changes in time order per company, and
 * the successor of a superseded invoice.
 */
export function erpFoldersSchema(_t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('erp_files')
        .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id'))
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        // stat's mtimeMs carries sub-millisecond digits: a double keeps them on both databases
        .addColumn('mtime_ms', 'double precision', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('invoice_id', 'bigint')
        .addColumn('code', 'text')
        .addColumn('message', 'text')
        .addColumn('sidecar', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('erp_files_pkey', ['company_id', 'path'])
        .execute();

      await db.schema
        .createTable('erp_writeback')
        .addColumn('invoice_id', 'bigint', (c) => c.primaryKey().references('invoices.id'))
        .addColumn('company_id', 'bigint', (c) => c.notNull())
        // the invoice's updated_at that was last written back (null: never succeeded)
        .addColumn('written_updated_at', 'bigint')
        .addColumn('error', 'text')
        .addColumn('error_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_try_at', 'bigint')
        .execute();
      await db.schema.createIndex('erp_writeback_retry_idx').on('erp_writeback').columns(['company_id', 'next_try_at']).execute();
      await db.schema.createIndex('invoices_company_updated_idx').on('invoices').columns(['company_id', 'updated_at']).execute();
      await db.schema.createIndex('invoices_supersedes_idx').on('invoices').columns(['supersedes_id']).execute();
    },
  };
}
