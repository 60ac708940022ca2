/** Reading the store's record of arXiv announcements (`arxiv:DAY` fetch records, see ports.ts). */
import { ARXIV_DAY_KEY } from '../../ports.ts';

export interface AnnouncementRecord {
  /** The announcement day as arXiv dates it. */
  day: string;
  /** New and cross-listed papers it held (0: arXiv announced nothing, as on weekends and holidays). */
  count: number;
  at: string;
}

/** The most recent arXiv announcement recorded. */
export function lastAnnouncement(fetched: Map<string, { at: string; count: number }>): AnnouncementRecord | undefined {
  let best: AnnouncementRecord | undefined;
  for (const [key, v] of fetched) {
    const day = ARXIV_DAY_KEY.exec(key)?.[1];
    if (day && (!best || day > best.day)) best = { day, ...v };
  }
  return best;
}

/** "arXiv announced nothing on Saturday" when the last announcement was empty; otherwise what it held. */
export function announcementText(r: AnnouncementRecord): string {
  const weekday = new Date(`${r.day}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  if (r.count === 0) return `arXiv announced nothing on ${weekday} (${r.day}); weekends and holidays have no announcement`;
  return `${r.count} new paper${r.count === 1 ? '' : 's'} announced on ${weekday} (${r.day})`;
}
