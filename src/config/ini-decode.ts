/**
 * Bytes of a WMEFServer.ini / WMEfact.ini to text. The manuals' servers are Windows
 * programs: their INI files are UTF-16 (with a BOM) when written by the Unicode INI API, or
 * in the Romanian ANSI code page, Windows-1250, where the manuals' typographic quotes in
 * FiltruSQL (‘Iasi’) are single bytes 0x91 and 0x92. Valid UTF-8 is taken as UTF-8.
 */
export function decodeIniBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    // the decoder drops a UTF-8 BOM itself
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1250').decode(bytes);
  }
}
