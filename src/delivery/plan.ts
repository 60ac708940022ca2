/** What a cycle has to do for each destination: a due digest, missed days to record, nothing. */
import type { Destination } from '../core/index.ts';
import { dueRun } from '../core/schedule/index.ts';
import { lastPassedDay, missedDays } from './missed.ts';

export interface Plan {
  dest: Destination;
  /** Local day whose digest is due now. */
  day?: string;
  /** Days beyond the catch-up window to record as missed, newest first. */
  missed: string[];
  /** Paused: the latest passed run day, so resuming does not count the pause as missed. */
  pausedThrough?: string;
}

/**
 * After n consecutive transient failures wait min(2^n, 60) minutes. A permanent failure stops
 * delivery until someone changes the destination's settings (the store then clears it).
 */
export function inBackoff(dest: Destination, now: Date): boolean {
  const f = dest.state.lastFailure;
  if (!f) return false;
  if (f.permanent) return true;
  if (f.code === 'missed' || f.code === 'interrupted') return false;
  const waitMs = Math.min(2 ** (dest.state.failures ?? 1), 60) * 60_000;
  return now.getTime() - Date.parse(f.at) < waitMs;
}

export function planCycle(destinations: Destination[], now: Date, catchUpHours: number): Plan[] {
  const catchUpMs = catchUpHours * 3_600_000;
  const plans: Plan[] = [];
  for (const dest of destinations) {
    const { settings, state } = dest;
    if (settings.topics.length === 0) continue;
    if (settings.paused) {
      // The day a paused destination skips is settled, not missed.
      const passed = lastPassedDay(settings, state.lastDigestDay, now);
      if (passed) plans.push({ dest, missed: [], pausedThrough: passed });
      continue;
    }
    if (state.lastFailure?.permanent) continue;
    const missed = missedDays(settings, state.lastDigestDay, dest.createdAt, now, catchUpMs);
    const day = inBackoff(dest, now) ? undefined : dueRun(settings, state.lastDigestDay, now, catchUpMs);
    if (day || missed.length > 0) plans.push({ dest, ...(day ? { day } : {}), missed });
  }
  return plans;
}
