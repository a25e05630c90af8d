import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderConfigYaml } from './render.js';
import type { EfactConfigInput } from './schema.js';

describe('renderConfigYaml', () => {
  const config: EfactConfigInput = {
    serverId: 2,
    engine: { pacingSeconds: 3 },
    companies: [
      {
        cif: 'FILL-IN',
        shortName: 'Flo',
        name: 'Flo-AUTO',
        partitionFilter: `Subunitate like ‘Iasi’ and ${'UserName = ‘Ana’ or '.repeat(10)}NrDoc=12`,
      },
    ],
  };

  it('writes YAML that reads back to the same values', () => {
    expect(parse(renderConfigYaml(config))).toEqual(config);
  });

  it('starts with a header saying where the settings came from and what to check', () => {
    const yaml = renderConfigYaml(config, {
      from: 'WMEfact.ini',
      warnings: ['fill in the CIF'],
      generatedAt: new Date('2024-03-01T10:00:00Z'),
    });
    expect(yaml.split('\n').slice(0, 5)).toEqual([
      '# Efact configuration',
      '# Imported from WMEfact.ini on 2024-03-01.',
      "# Keys not written here take Efact's defaults; the manuals' names are noted beside the keys.",
      '# To check:',
      '#   - fill in the CIF',
    ]);
    expect(renderConfigYaml(config)).toContain('# Imported from a WinMentor WMEFServer.ini / WMEfact.ini.');
  });

  it('notes the manuals’ names and marks the CIF placeholder', () => {
    const yaml = renderConfigYaml(config);
    expect(yaml).toContain('serverId: 2 # ServerID');
    expect(yaml).toContain('  pacingSeconds: 3 # SecundeNext');
    expect(yaml).toContain("  - cif: FILL-IN # fill in: the company's CIF, e.g. RO12345674");
    expect(yaml).toContain('    shortName: Flo # NumeSkema');
  });

  it('keeps a long partition filter on one line', () => {
    const line = renderConfigYaml(config)
      .split('\n')
      .find((l) => l.includes('partitionFilter'));
    expect(line).toContain('NrDoc=12');
  });
});
