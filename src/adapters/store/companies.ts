import type { Updateable } from 'kysely';
import type { Company } from '../../domain/company.js';
import { EfactError } from '../../domain/errors.js';
import type { CompanyInput, CompanyPatch } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { companyFromRow, flag, millis } from './rows.js';
import { notifyWakeIn } from './wake-listener.js';
import type { CompaniesTable } from './schema.js';

/**
 * Inserts a company or updates the one with the same CIF. Every given field is written,
 * including the environment (the caller states the wanted state); `exportFolder` and
 * `partitionFilter` left undefined keep their stored value. Sending starts enabled and is
 * never changed here (that is `setSendingEnabled`, a person's Start / Stop).
 */
export async function upsertCompany(ctx: StoreContext, input: CompanyInput): Promise<Company> {
  const at = millis(ctx.now());
  const update: Updateable<CompaniesTable> = {
    short_name: input.shortName,
    name: input.name,
    environment: input.environment,
    updated_at: at,
  };
  if (input.exportFolder !== undefined) update.export_folder = input.exportFolder;
  if (input.partitionFilter !== undefined) update.partition_filter = input.partitionFilter;
  if (input.oauthProfile !== undefined) update.oauth_profile = input.oauthProfile;
  // adding a removed company again brings it back, with its invoices
  update.removed_at = null;
  const row = await ctx.db
    .insertInto('companies')
    .values({
      cif: input.cif,
      short_name: input.shortName,
      name: input.name,
      environment: input.environment,
      export_folder: input.exportFolder ?? null,
      partition_filter: input.partitionFilter ?? null,
      oauth_profile: input.oauthProfile ?? null,
      removed_at: null,
      sending_enabled: 1,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('cif').doUpdateSet(update))
    .returningAll()
    .executeTakeFirstOrThrow();
  return companyFromRow(row);
}

export async function listCompanies(ctx: StoreContext, options: { includeRemoved?: boolean } = {}): Promise<Company[]> {
  let q = ctx.db.selectFrom('companies').selectAll();
  if (options.includeRemoved !== true) q = q.where('removed_at', 'is', null);
  const rows = await q.orderBy('id').execute();
  return rows.map(companyFromRow);
}

export async function getCompany(ctx: StoreContext, id: number): Promise<Company | null> {
  const row = await ctx.db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : companyFromRow(row);
}

export async function getCompanyByCif(ctx: StoreContext, cif: string): Promise<Company | null> {
  const row = await ctx.db.selectFrom('companies').selectAll().where('cif', '=', cif).executeTakeFirst();
  return row === undefined ? null : companyFromRow(row);
}

export async function setSendingEnabled(ctx: StoreContext, companyId: number, enabled: boolean): Promise<void> {
  const result = await ctx.db
    .updateTable('companies')
    .set({ sending_enabled: flag(enabled), updated_at: millis(ctx.now()) })
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new EfactError('UNKNOWN_COMPANY', `no company with id ${companyId}`, { details: { companyId } });
  }
  // Sending resumed: every instance's worker for the company looks at once.
  if (enabled && ctx.traits.wakeNotify) await notifyWakeIn(ctx.db, companyId);
}

export async function updateCompany(ctx: StoreContext, companyId: number, patch: CompanyPatch): Promise<Company> {
  const update: Updateable<CompaniesTable> = { updated_at: millis(ctx.now()) };
  if (patch.shortName !== undefined) update.short_name = patch.shortName;
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.environment !== undefined) update.environment = patch.environment;
  if (patch.exportFolder !== undefined) update.export_folder = patch.exportFolder;
  if (patch.partitionFilter !== undefined) update.partition_filter = patch.partitionFilter;
  if (patch.oauthProfile !== undefined) update.oauth_profile = patch.oauthProfile;
  const row = await ctx.db.updateTable('companies').set(update).where('id', '=', companyId).returningAll().executeTakeFirst();
  if (row === undefined) throw new EfactError('UNKNOWN_COMPANY', `no company with id ${companyId}`, { details: { companyId } });
  return companyFromRow(row);
}

export async function setCompanyRemoved(ctx: StoreContext, companyId: number, removedAt: Date | null): Promise<Company> {
  const row = await ctx.db
    .updateTable('companies')
    .set({ removed_at: removedAt === null ? null : millis(removedAt), updated_at: millis(ctx.now()) })
    .where('id', '=', companyId)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new EfactError('UNKNOWN_COMPANY', `no company with id ${companyId}`, { details: { companyId } });
  return companyFromRow(row);
}
