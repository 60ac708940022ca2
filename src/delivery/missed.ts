/** Digests that fell due while the bot was down and are now beyond the catch-up window. */
import type { DestinationSettings } from '../core/index.ts';
import { addDays, localDay, runInstant, runsOn, tooSoon } from '../core/schedule/index.ts';

/** How far back missed days are looked for (and recorded). */
export const MISSED_LOOKBACK_DAYS = 14;

type Settings = Pick<DestinationSettings, 'time' | 'timezone' | 'weekdaysOnly' | 'weeklyOn' | 'paused'>;

/**
 * Local days, newest first, whose run instant lies more than `catchUpMs` before `now`, after
 * `lastDigestDay` and not before the destination existed (`createdAt`). Empty when paused.
 */
export function missedDays(settings: Settings, lastDigestDay: string | undefined, createdAt: string, now: Date, catchUpMs: number): string[] {
  if (settings.paused) return [];
  const created = Date.parse(createdAt);
  const today = localDay(now, settings.timezone);
  const days: string[] = [];
  for (let i = 0; i <= MISSED_LOOKBACK_DAYS; i++) {
    const day = addDays(today, -i);
    if (lastDigestDay !== undefined && day <= lastDigestDay) break;
    if (!runsOn(settings, day) || tooSoon(settings, day, lastDigestDay)) continue;
    const at = runInstant(settings, day).getTime();
    if (!Number.isNaN(created) && at < created) break;
    if (now.getTime() - at > catchUpMs) days.push(day);
  }
  return days;
}

/** The newest local day after `lastDigestDay` whose run time has passed (ignoring pause), if any. */
export function lastPassedDay(settings: Settings, lastDigestDay: string | undefined, now: Date): string | undefined {
  const today = localDay(now, settings.timezone);
  for (let i = 0; i <= 7; i++) {
    const day = addDays(today, -i);
    if (lastDigestDay !== undefined && day <= lastDigestDay) return undefined;
    if (!runsOn(settings, day)) continue;
    if (runInstant(settings, day).getTime() <= now.getTime()) return day;
  }
  return undefined;
}
