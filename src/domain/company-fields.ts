/**
 * Checks of the fields a person gives when adding or changing a company through the CLI or the
 * API. Each failure is an INVALID_REQUEST naming the field, the value and what is allowed.
 */
import { isValidCif, normalizeCif } from './cif.js';
import { ENVIRONMENTS, type Environment } from './company.js';
import { EfactError } from './errors.js';
import { parseOptionalPartitionFilter } from './partition-filter/index.js';

export interface CompanyFields {
  cif: string;
  shortName: string;
  name: string;
  environment: Environment;
  exportFolder: string | null;
  partitionFilter: string | null;
  oauthProfile: string | null;
}

export type CompanyFieldsPatch = Partial<Omit<CompanyFields, 'cif'>>;

export const SHORT_NAME_MAX = 40;
export const NAME_MAX = 200;
export const FOLDER_MAX = 1000;
/** An OAuth profile is referred to by name only; its secrets live in the vault. */
export const OAUTH_PROFILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function bad(field: string, message: string, value: unknown): EfactError {
  return new EfactError('INVALID_REQUEST', `${field}: ${message}`, { details: { field, value } });
}

/** The CIF as ANAF wants it (digits only), or an error saying what is wrong with it. */
export function checkCif(value: string, field = 'cif'): string {
  const digits = normalizeCif(value);
  if (digits === null) throw bad(field, `${JSON.stringify(value)} is not a Romanian CIF (2 to 10 digits, optionally prefixed RO)`, value);
  if (!isValidCif(digits)) {
    throw bad(field, `${value} has a wrong check digit (a CIF's last digit is computed from the others with ANAF's key 753217532)`, value);
  }
  return digits;
}

function text(field: string, value: string, max: number): string {
  const v = value.trim();
  if (v === '') throw bad(field, 'must not be empty', value);
  if (v.length > max) throw bad(field, `is ${v.length} characters long; at most ${max} are allowed`, value);
  return v;
}

function environment(value: string): Environment {
  if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw bad('environment', `${JSON.stringify(value)} is not allowed; use ${ENVIRONMENTS.join(' or ')}`, value);
  }
  return value as Environment;
}

function folder(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (v.length > FOLDER_MAX) throw bad('exportFolder', `is longer than ${FOLDER_MAX} characters`, value);
  // The server watches it, so a path relative to whoever typed it would mean another folder.
  if (!(v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'))) {
    throw bad('exportFolder', `${JSON.stringify(value)} is not an absolute path; the server watches it, so give the full path`, value);
  }
  return v;
}

function filter(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  try {
    parseOptionalPartitionFilter(value);
  } catch (e) {
    throw bad('partitionFilter', (e as Error).message, value);
  }
  return value.trim();
}

function oauthProfile(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (!OAUTH_PROFILE_PATTERN.test(v)) {
    throw bad('oauthProfile', `${JSON.stringify(value)} is not a profile name (letters, digits, ".", "_", "-"; at most 64 characters)`, value);
  }
  return v;
}

/** A new company as a person gives it (CLI, API): unchecked text. */
export interface NewCompanyInput {
  cif: string;
  shortName: string;
  name: string;
  environment?: string;
  exportFolder?: string | null;
  partitionFilter?: string | null;
  oauthProfile?: string | null;
}

/** Checks a whole new company; the result is what is stored. */
export function checkNewCompany(input: NewCompanyInput): CompanyFields {
  return {
    cif: checkCif(input.cif),
    shortName: text('shortName', input.shortName, SHORT_NAME_MAX),
    name: text('name', input.name, NAME_MAX),
    environment: environment(input.environment ?? 'test'),
    exportFolder: folder(input.exportFolder ?? null),
    partitionFilter: filter(input.partitionFilter ?? null),
    oauthProfile: oauthProfile(input.oauthProfile ?? null),
  };
}

/** Checks the fields of a change; absent fields stay absent, an empty text clears an optional one. */
export function checkCompanyPatch(input: {
  shortName?: string;
  name?: string;
  environment?: string;
  exportFolder?: string | null;
  partitionFilter?: string | null;
  oauthProfile?: string | null;
}): CompanyFieldsPatch {
  const out: CompanyFieldsPatch = {};
  if (input.shortName !== undefined) out.shortName = text('shortName', input.shortName, SHORT_NAME_MAX);
  if (input.name !== undefined) out.name = text('name', input.name, NAME_MAX);
  if (input.environment !== undefined) out.environment = environment(input.environment);
  if (input.exportFolder !== undefined) out.exportFolder = folder(input.exportFolder);
  if (input.partitionFilter !== undefined) out.partitionFilter = filter(input.partitionFilter);
  if (input.oauthProfile !== undefined) out.oauthProfile = oauthProfile(input.oauthProfile);
  if (Object.keys(out).length === 0) {
    throw new EfactError('INVALID_REQUEST', 'nothing to change: give at least one of shortName, name, environment, exportFolder, partitionFilter, oauthProfile');
  }
  return out;
}
