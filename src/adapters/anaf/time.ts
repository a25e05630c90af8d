/**
 * ANAF speaks Romanian local time (Europe/Bucharest): `dateResponse`, `data_creare` are
 * yyyyMMddHHmm in that zone, and its daily quotas reset at Bucharest midnight.
 */
const ZONE = 'Europe/Bucharest';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localPartsSlow(date: Date): LocalParts {
  const p: Record<string, string> = {};
  for (const part of partsFormatter.formatToParts(date)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

const HOUR = 3600_000;
/** Bucharest's offset per UTC hour: DST changes fall on whole hours, and Intl is slow on hot paths. */
const offsetByHour = new Map<number, number>();

function localParts(date: Date): LocalParts {
  const t = date.getTime();
  const hour = Math.floor(t / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const l = localPartsSlow(new Date(hour * HOUR));
    offset = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - hour * HOUR;
    if (offsetByHour.size > 10_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  const local = new Date(t + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** Offset of Bucharest from UTC at that instant, in minutes (120 or 180). */
function offsetMinutes(date: Date): number {
  const l = localParts(date);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/** The instant of a Bucharest wall-clock time. */
export function fromBucharest(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const guess = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Two passes settle the offset even across a DST change.
  let t = guess.getTime() - offsetMinutes(guess) * 60000;
  t = guess.getTime() - offsetMinutes(new Date(t)) * 60000;
  return new Date(t);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** yyyyMMddHHmm in Bucharest time (ANAF's dateResponse / data_creare). */
export function formatAnafMinute(date: Date): string {
  const l = localParts(date);
  return `${l.year}${pad(l.month)}${pad(l.day)}${pad(l.hour)}${pad(l.minute)}`;
}

/** Parses yyyyMMddHHmm (Bucharest) into an instant; null when the text has another shape. */
export function parseAnafMinute(text: string | undefined | null): Date | null {
  if (!text) return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  return fromBucharest(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** dd-MM-yyyy HH:mm:ss in Bucharest time, as ANAF writes dates inside its messages. */
export function formatAnafDateTime(date: Date): string {
  const l = localParts(date);
  return `${pad(l.day)}-${pad(l.month)}-${l.year} ${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

/** The ANAF day an instant belongs to, as yyyy-MM-dd (Bucharest). */
export function anafDay(date: Date): string {
  const l = localParts(date);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** Start of the next ANAF day (Bucharest midnight), when daily quotas reset. */
export function nextAnafDayStart(date: Date): Date {
  const l = localParts(date);
  const noonNextDay = new Date(Date.UTC(l.year, l.month - 1, l.day + 1, 12));
  return fromBucharest(noonNextDay.getUTCFullYear(), noonNextDay.getUTCMonth() + 1, noonNextDay.getUTCDate());
}

/** yyyy-mm of the instant in Bucharest time (archive month folders). */
export function anafMonth(date: Date): string {
  return anafDay(date).slice(0, 7);
}
