/**
 * Time-zone arithmetic on Intl alone: wall-clock fields of an instant in a zone, and the instant of a
 * local wall-clock time (resolving DST gaps and overlaps).
 */
import { PaperboyError } from '../model/errors.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Wall-clock fields of `date` in `tz`. */
export function wallClock(date: Date, tz: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (Berlin summer: +7_200_000). */
export function zoneOffset(ms: number, tz: string): number {
  const w = wallClock(new Date(ms), tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** True when `tz` is an IANA zone (or `UTC`) that Intl knows. */
export function isValidTimezone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '' || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling (`europe/berlin` -> `Europe/Berlin`); throws a usage error if unknown. */
export function canonicalTimezone(tz: string): string {
  const trimmed = tz.trim();
  if (!isValidTimezone(trimmed)) {
    throw new PaperboyError(
      'usage',
      `"${trimmed.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
}

/** Local calendar day of `date` in `tz`, `YYYY-MM-DD`. */
export function localDay(date: Date, tz: string): string {
  const w = wallClock(date, tz);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD` shifted by `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY).toISOString().slice(0, 10);
}

/** Day of week of a calendar day, 0 = Sunday. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/**
 * The instant at which the wall clock in `tz` shows `h:m` on `day`. An ambiguous time (clocks
 * going back) resolves to its first occurrence; a time that does not exist (clocks going forward)
 * resolves to the first valid instant after it, i.e. the moment of the change.
 */
export function zonedInstant(day: string, h: number, m: number, tz: string): Date {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, m);
  const before = zoneOffset(naive - DAY, tz);
  const after = zoneOffset(naive + DAY, tz);
  const candidates = [...new Set([naive - before, naive - after])]
    .filter((t) => t + zoneOffset(t, tz) === naive)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // In a gap: binary-search the first minute at which the later offset applies.
  let lo = Math.min(naive - before, naive - after);
  let hi = Math.max(naive - before, naive - after);
  const loOffset = zoneOffset(lo, tz);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.max(1, Math.floor((hi - lo) / 2 / MINUTE)) * MINUTE;
    if (zoneOffset(mid, tz) === loOffset) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}
