import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from './zip.js';

describe('readZip', () => {
  const files = new Map([
    ['3001.xml', new TextEncoder().encode('<Invoice>' + 'x'.repeat(5000) + '</Invoice>')],
    ['semnatura_3001.xml', new TextEncoder().encode('<Signature>' + 'y'.repeat(5000) + '</Signature>')],
  ]);

  it('reads back every entry of a whole archive', () => {
    const out = readZip(writeZip(files));
    expect([...out.keys()].sort()).toEqual(['3001.xml', 'semnatura_3001.xml']);
    expect(new TextDecoder().decode(out.get('3001.xml'))).toBe(new TextDecoder().decode(files.get('3001.xml')));
  });

  it('refuses an archive cut short, even where its first entries are whole', () => {
    const zip = writeZip(files);
    for (const keep of [0.5, 0.9, (zip.byteLength - 10) / zip.byteLength]) {
      const cut = zip.subarray(0, Math.floor(zip.byteLength * keep));
      expect(() => readZip(cut)).toThrow(/truncated|corrupt/);
    }
  });
});
