import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * The first schema. Migrations take `Kysely<any>` on purpose: they describe the database as it
 * was at that point, not as today's StoreSchema says it is.
 */
export function initialSchema(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('companies')
        .addColumn('id', t.idType, t.id)
        .addColumn('cif', 'text', (c) => c.notNull().unique())
        .addColumn('short_name', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('export_folder', 'text')
        .addColumn('partition_filter', 'text')
        .addColumn('sending_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      // No unique index on (company, series, number): a corrected file for the same number is a
      // new row that supersedes the old one, and the old one stays for the audit trail.
      await db.schema
        .createTable('invoices')
        .addColumn('id', t.idType, t.id)
        .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('standard', 'text', (c) => c.notNull())
        .addColumn('flags', 'text', (c) => c.notNull())
        .addColumn('b2c', 'integer', (c) => c.notNull())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('issue_date', 'text')
        .addColumn('supplier_cif', 'text')
        .addColumn('buyer_cif', 'text')
        .addColumn('customization_id', 'text')
        .addColumn('currency', 'text')
        .addColumn('payable_amount', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('origin_channel', 'text', (c) => c.notNull())
        .addColumn('origin_path', 'text')
        .addColumn('origin_computer', 'text')
        .addColumn('origin_user', 'text')
        .addColumn('origin_branch', 'text')
        .addColumn('upload_id', 'text')
        .addColumn('uploaded_at', 'bigint')
        .addColumn('download_id', 'text')
        .addColumn('resolved_at', 'bigint')
        .addColumn('downloaded_at', 'bigint')
        .addColumn('archive_path', 'text')
        .addColumn('messages', 'text', (c) => c.notNull())
        .addColumn('platform_calls', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('supersedes_id', 'bigint', (c) => c.references('invoices.id'))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      const invoiceIndexes: Array<[string, string[]]> = [
        // claimForUpload: queued invoices of a company whose next attempt is due
        ['invoices_claim_idx', ['company_id', 'environment', 'status', 'next_attempt_at']],
        // findByUploadIds: status answers and message lists name invoices by upload id
        ['invoices_upload_idx', ['company_id', 'environment', 'upload_id']],
        // intake: the same bytes sent twice
        ['invoices_hash_idx', ['company_id', 'content_hash']],
        // intake: a corrected file for the same invoice
        ['invoices_document_idx', ['company_id', 'environment', 'document_id']],
        // search by series and number
        ['invoices_series_idx', ['company_id', 'series', 'number']],
        // listInvoices: keyset pages in id order, per company and per company + status
        ['invoices_company_page_idx', ['company_id', 'id']],
        ['invoices_status_page_idx', ['company_id', 'status', 'id']],
        // listInvoices with a creation-date range: the rows of the range are found here and only
        // they are sorted by id (a range ordered by id has no single index that serves both)
        ['invoices_company_created_idx', ['company_id', 'created_at']],
        ['invoices_created_idx', ['created_at']],
      ];
      for (const [name, columns] of invoiceIndexes) {
        await db.schema.createIndex(name).on('invoices').columns(columns).execute();
      }

      // The bytes live apart so that list queries never drag megabytes of XML through the cache.
      await db.schema
        .createTable('invoice_xml')
        .addColumn('invoice_id', 'bigint', (c) => c.primaryKey().references('invoices.id'))
        .addColumn('xml', t.bytes, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('invoice_events')
        .addColumn('id', t.idType, t.id)
        .addColumn('invoice_id', 'bigint', (c) => c.notNull().references('invoices.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('invoice_events_invoice_idx').on('invoice_events').columns(['invoice_id', 'id']).execute();

      // Written before an upload request leaves (ARCHITECTURE rule 1).
      await db.schema
        .createTable('upload_attempts')
        .addColumn('id', t.idType, t.id)
        .addColumn('invoice_id', 'bigint', (c) => c.notNull().references('invoices.id'))
        .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('upload_id', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('upload_attempts_invoice_idx').on('upload_attempts').columns(['invoice_id', 'id']).execute();
      await db.schema.createIndex('upload_attempts_outcome_idx').on('upload_attempts').columns(['outcome', 'id']).execute();

      // The ledger has no foreign key to invoices: it must accept every call, even one made
      // for an invoice this database does not hold, and foreign key checks would slow it.
      await db.schema
        .createTable('platform_calls')
        .addColumn('id', t.idType, t.id)
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('company_cif', 'text', (c) => c.notNull())
        .addColumn('invoice_id', 'bigint')
        .addColumn('http_status', 'integer')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .execute();
      await db.schema.createIndex('platform_calls_invoice_idx').on('platform_calls').columns(['invoice_id']).execute();
      await db.schema.createIndex('platform_calls_cif_idx').on('platform_calls').columns(['company_cif', 'at']).execute();
      await db.schema.createIndex('platform_calls_at_idx').on('platform_calls').columns(['at']).execute();

      await db.schema
        .createTable('incoming_messages')
        .addColumn('id', t.idType, t.id)
        .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('upload_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('raw_type', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('platform_created_at', 'bigint')
        .addColumn('discovered_at', 'bigint', (c) => c.notNull())
        .addColumn('downloaded_at', 'bigint')
        .addColumn('archive_path', 'text')
        .addColumn('summary', 'text')
        .addUniqueConstraint('incoming_messages_message_key', ['company_id', 'environment', 'message_id'])
        .execute();
      await db.schema.createIndex('incoming_messages_company_idx').on('incoming_messages').columns(['company_id', 'id']).execute();

      await db.schema
        .createTable('engine_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
