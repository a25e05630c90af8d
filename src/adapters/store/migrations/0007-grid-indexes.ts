import type { Kysely, Migration } from 'kysely';

/**
 * Indexes for the dashboard's grid (invoice-grid.ts): each sortable column gets
 * (company_id, column, id), so a page sorted by that column is a range walk of one index, with
 * id breaking ties for keyset paging; the same indexes serve an equality filter on the column
 * with the default id order. Created-order, status and number already have theirs (0001).
 */
const GRID_INDEXES: Array<[string, string[]]> = [
  ['invoices_grid_uploaded_idx', ['company_id', 'uploaded_at', 'id']],
  ['invoices_grid_branch_idx', ['company_id', 'origin_branch', 'id']],
  ['invoices_grid_user_idx', ['company_id', 'origin_user', 'id']],
  ['invoices_grid_number_idx', ['company_id', 'number', 'id']],
  ['invoices_grid_series_idx', ['company_id', 'series', 'id']],
];

export const gridIndexes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    for (const [name, columns] of GRID_INDEXES) {
      await db.schema.createIndex(name).ifNotExists().on('invoices').columns(columns).execute();
    }
  },
};
