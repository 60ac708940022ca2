/** When a destination's digest runs: pure arithmetic over its settings and the clock. */
import type { DestinationSettings } from '../model/destination.ts';
import { PaperboyError } from '../model/errors.ts';
import { addDays, localDay, weekdayOf, zonedInstant } from './zone.ts';

export interface TimeOfDay {
  h: number;
  m: number;
}

const TIME = /^(\d{1,2}):(\d{2})$/;

/** `08:30` or `8:30` (24-hour) -> `{h: 8, m: 30}`; anything else is a usage error saying how to write it. */
export function parseTime(text: string): TimeOfDay {
  const t = typeof text === 'string' ? text.trim() : '';
  const match = TIME.exec(t);
  const h = match ? Number(match[1]) : NaN;
  const m = match ? Number(match[2]) : NaN;
  if (!match || h > 23 || m > 59) {
    const shown = t === '' ? 'nothing' : `"${t.slice(0, 20)}"`;
    throw new PaperboyError('usage', `Time must be HH:MM on a 24-hour clock, e.g. 08:30 or 17:45 (got ${shown}).`);
  }
  return { h, m };
}

/** `{h: 8, m: 5}` -> `08:05`. */
export function formatTime(t: TimeOfDay): string {
  return `${String(t.h).padStart(2, '0')}:${String(t.m).padStart(2, '0')}`;
}

export type ScheduleSettings = Pick<DestinationSettings, 'time' | 'timezone' | 'weekdaysOnly' | 'weeklyOn'>;

/** True when the destination has a weekly digest (on `weeklyOn`) instead of a daily one. */
export function isWeekly(settings: Pick<DestinationSettings, 'weeklyOn'>): settings is { weeklyOn: number } {
  return typeof settings.weeklyOn === 'number' && Number.isInteger(settings.weeklyOn) && settings.weeklyOn >= 0 && settings.weeklyOn <= 6;
}

/** Whether local `day` has a scheduled run: every day, weekdays only, or the one weekday of a weekly digest. */
export function runsOn(settings: Pick<ScheduleSettings, 'weekdaysOnly' | 'weeklyOn'>, day: string): boolean {
  const wd = weekdayOf(day);
  if (isWeekly(settings)) return wd === settings.weeklyOn;
  return !settings.weekdaysOnly || (wd !== 0 && wd !== 6);
}

/**
 * At most one weekly digest a week: a run day within 6 days after the last digest (a schedule
 * changed mid-week, or from daily to weekly) waits for the next week.
 */
export function tooSoon(settings: Pick<ScheduleSettings, 'weeklyOn'>, day: string, lastDigestDay: string | undefined): boolean {
  return isWeekly(settings) && lastDigestDay !== undefined && day <= addDays(lastDigestDay, 6);
}

/** The instant of the scheduled run on local `day` (DST gaps and overlaps resolved, see zonedInstant). */
export function runInstant(settings: ScheduleSettings, day: string): Date {
  const { h, m } = parseTime(settings.time);
  return zonedInstant(day, h, m, settings.timezone);
}

/**
 * The first instant strictly after `after` at which the local time in `settings.timezone` is
 * `settings.time`, on a day the cadence runs (see runsOn). Pausing is not considered here; a
 * weekly digest's next run is also at least a week after `lastDigestDay` when given.
 */
export function nextRunAt(settings: ScheduleSettings, after: Date, lastDigestDay?: string): Date {
  const today = localDay(after, settings.timezone);
  // Start a day early: a resolved gap time can land on the previous local day's instant range.
  for (let i = -1; i <= 16; i++) {
    const day = addDays(today, i);
    if (!runsOn(settings, day) || tooSoon(settings, day, lastDigestDay)) continue;
    const at = runInstant(settings, day);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error(`no run found after ${after.toISOString()}`);
}

/**
 * The local day whose digest is due at `now`, or undefined. A day is due once its run instant has
 * passed, it has not been delivered yet (`lastDigestDay` is earlier), and it is no older than
 * `catchUpMs` (a digest missed during a longer outage is skipped). The most recent due day wins.
 */
export function dueRun(
  settings: ScheduleSettings & Pick<DestinationSettings, 'paused'>,
  lastDigestDay: string | undefined,
  now: Date,
  catchUpMs: number,
): string | undefined {
  if (settings.paused) return undefined;
  const today = localDay(now, settings.timezone);
  const lookBack = Math.ceil(Math.max(0, catchUpMs) / 86_400_000) + 1;
  for (let i = 0; i <= lookBack; i++) {
    const day = addDays(today, -i);
    if (lastDigestDay !== undefined && day <= lastDigestDay) return undefined;
    if (!runsOn(settings, day) || tooSoon(settings, day, lastDigestDay)) continue;
    const at = runInstant(settings, day).getTime();
    if (at > now.getTime()) continue;
    if (now.getTime() - at <= catchUpMs) return day;
    return undefined;
  }
  return undefined;
}
