/**
 * A forgiving reader for the manuals' settings files. WMEFServer.ini / WMEfact.ini are
 * written by a Windows program as `Key=Value` under a section, but people copy them from the
 * manuals, which print them as a table: `6<TAB>NumeSkema1<TAB>Ali3`, a row number, the key,
 * the value, separated by whitespace. Both layouts, and a mix, are read the same way.
 */

export interface IniEntry {
  /** As written (case kept, for messages). */
  key: string;
  value: string;
  /** 1-based line number, for messages. */
  line: number;
}

export interface IniLines {
  entries: IniEntry[];
  /** Lines that are neither a setting, a section, a comment nor blank. */
  unreadable: { line: number; text: string }[];
}

// optional row number, the key, then "=" or whitespace (or nothing), then the value
const SETTING = /^(?:\d+\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*|\s+|$)(.*)$/;

/**
 * Strips one pair of ASCII quotes around a whole value. Typographic quotes (‘Iasi’) are the
 * manuals' way of quoting inside FiltruSQL and stay; so does a value with the same quote
 * inside, where the outer ones are part of the text (`'Iasi' = Subunitate`).
 */
export function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    if (!inner.includes(first)) return inner;
  }
  return value;
}

export function readIniLines(text: string): IniLines {
  const entries: IniEntry[] = [];
  const unreadable: IniLines['unreadable'] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const line = raw.trim();
      // "#" also starts the manuals' table header row ("#  CompName  UserName ...")
      if (line === '' || line.startsWith(';') || line.startsWith('#') || /^\[.*\]$/.test(line)) return;
      // no inline comments: the Windows INI API does not have them, and a filter may contain ";"
      const match = SETTING.exec(line);
      if (match === null) {
        unreadable.push({ line: index + 1, text: line });
        return;
      }
      entries.push({ key: match[1]!, value: unquote(match[2]!.trim()), line: index + 1 });
    });
  return { entries, unreadable };
}
