import { describe, expect, it } from 'vitest';
import type { Company } from '../domain/company.js';
import type { CompanyConfig } from '../config/types.js';
import { CompanyProfiles } from './company-profiles.js';

function storeOf(rows: Array<Pick<Company, 'cif' | 'oauthProfile'>>) {
  let reads = 0;
  return {
    rows,
    get reads() {
      return reads;
    },
    async listCompanies() {
      reads++;
      return rows.map((r) => ({ ...r }) as Company);
    },
  };
}

const fileCompany = (cif: string, oauthProfile?: string) => ({ cif, shortName: cif, name: cif, ...(oauthProfile ? { oauthProfile } : {}) }) as CompanyConfig;

describe('which OAuth profile a company uses', () => {
  it('the file first, then the store (efact company --oauth-profile, the API), then oauth.profile', async () => {
    const store = storeOf([
      { cif: '1', oauthProfile: 'stale-copy' },
      { cif: '2', oauthProfile: 'from-store' },
      { cif: '3', oauthProfile: null },
    ]);
    const profiles = new CompanyProfiles(store, [fileCompany('1', 'from-file')], 'default');
    expect(await profiles.profileOf('1')).toBe('from-file');
    expect(await profiles.profileOf('2')).toBe('from-store');
    expect(await profiles.profileOf('3')).toBe('default');
    expect(await new CompanyProfiles(store, [], undefined).profileOf('3')).toBeUndefined();
    expect(await profiles.companiesOf('from-store')).toEqual(['2']);
    expect(await profiles.companiesOf('default')).toEqual(['3']);
  });

  it('reads the store once for many calls, and at once for a company it has not seen (added a moment ago)', async () => {
    const store = storeOf([{ cif: '2', oauthProfile: 'a' }]);
    const profiles = new CompanyProfiles(store, [], undefined);
    for (let i = 0; i < 50; i++) expect(await profiles.profileOf('2')).toBe('a');
    expect(store.reads).toBe(1);
    store.rows.push({ cif: '4', oauthProfile: 'b' });
    expect(await profiles.profileOf('4')).toBe('b');
    expect(store.reads).toBe(2);
  });
});
