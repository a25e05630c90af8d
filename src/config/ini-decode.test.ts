import { describe, expect, it } from 'vitest';
import { decodeIniBytes } from './ini-decode.js';

const text = 'FiltruSQL1=Subunitate like ‘Iași’';

describe('decodeIniBytes', () => {
  it('reads UTF-8, with or without a BOM', () => {
    const utf8 = new TextEncoder().encode(text);
    expect(decodeIniBytes(utf8)).toBe(text);
    expect(decodeIniBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe(text);
  });

  it('reads UTF-16 with a BOM, as the Windows Unicode INI API writes it', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeIniBytes(le)).toBe(text);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeIniBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });

  it('falls back to Windows-1250, where ‘ ’ are 0x91 and 0x92', () => {
    const ansi = Uint8Array.from([...Buffer.from('Subunitate like ', 'latin1'), 0x91, 0x49, 0x61, 0x73, 0x69, 0x92, 0x20, 0xba]);
    expect(decodeIniBytes(ansi)).toBe('Subunitate like ‘Iasi’ ş');
  });
});
