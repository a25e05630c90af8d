/** A tenant: one taxpayer whose invoices Efact sends (the manuals' NumeSkema / NumeFirma). */
export type Environment = 'test' | 'prod';

export const ENVIRONMENTS: readonly Environment[] = ['test', 'prod'];

export interface Company {
  id: number;
  /** Digits only, without the RO prefix (ANAF refuses prefixed CIFs). */
  cif: string;
  shortName: string;
  name: string;
  environment: Environment;
  /** Folder the ERP writes invoice XML into; watched when set. */
  exportFolder: string | null;
  /** The manuals' FiltruSQL, kept as text; compiled by the partition-filter language. */
  partitionFilter: string | null;
  /** Start / Stop sending (the manuals' Start server / Stop server), per company. */
  sendingEnabled: boolean;
  /** Name of the OAuth profile whose tokens this company uses (several companies may share one). */
  oauthProfile?: string | null;
  /**
   * Set when the company was removed: its invoices and archive are kept, the engine no longer
   * works it, intake refuses it; adding the same CIF again brings it back.
   */
  removedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
