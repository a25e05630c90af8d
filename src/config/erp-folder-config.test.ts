/** The ERP-folder keys of a company: writeBack and months. */
import { describe, expect, it } from 'vitest';
import { EfactError } from '../domain/errors.js';
import { loadConfig } from './load.js';
import type { DeepPartial, EfactConfig } from './types.js';
import { writeBackEnabled } from '../server/erp-folders.js';

const load = (company: Record<string, unknown>) =>
  loadConfig({
    env: {},
    cwd: '/tmp',
    overrides: { companies: [{ cif: '8000000000', shortName: 'T', name: 'T SRL', ...company }] } as DeepPartial<EfactConfig>,
  });

describe('companies[].writeBack and companies[].months', () => {
  it('write back by default when there is an export folder, never without one, and not when switched off', () => {
    expect(writeBackEnabled(load({ exportFolder: 'erp' }).companies[0]!)).toBe(true);
    expect(writeBackEnabled(load({}).companies[0]!)).toBe(false);
    expect(writeBackEnabled(load({ exportFolder: 'erp', writeBack: false }).companies[0]!)).toBe(false);
  });

  it('take months written yyyy-mm and refuse anything else, naming the key', () => {
    expect(load({ exportFolder: 'erp', months: ['2026-11', '2026-12'] }).companies[0]!.months).toEqual(['2026-11', '2026-12']);
    try {
      load({ exportFolder: 'erp', months: ['2026-13'] });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(EfactError);
      const problems = ((e as EfactError).details!.problems as string[]).join('\n');
      expect(problems).toContain('companies[0].months');
      expect(problems).toContain('yyyy-mm');
    }
  });
});
