/** The fields of a status reply: last run, next run, last failure, topics, paused. */
import type { Destination, DestinationSettings } from '../model/destination.ts';
import { isWeekly, nextRunAt } from '../schedule/index.ts';
import { formatInstant } from './destinations.ts';
import { announcementText, type AnnouncementRecord } from '../sources/arxiv/record.ts';
import { parseQuery } from '../topics/parse.ts';

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** `every day`, `weekdays only` or `weekly on Monday`. */
export function cadenceText(s: Pick<DestinationSettings, 'weekdaysOnly' | 'weeklyOn'>): string {
  if (isWeekly(s)) return `weekly on ${WEEKDAY_NAMES[s.weeklyOn]}`;
  return s.weekdaysOnly ? 'weekdays only' : 'every day';
}

/** `daily` or `weekly`, for "your daily digest". */
export function cadenceWord(s: Pick<DestinationSettings, 'weeklyOn'>): string {
  return isWeekly(s) ? 'weekly' : 'daily';
}

/** Whether any of the destination's topics follows arXiv categories. */
export function followsArxiv(dest: Destination): boolean {
  return dest.settings.topics.some((t) => {
    try {
      return (parseQuery(t).categories?.length ?? 0) > 0;
    } catch {
      return false;
    }
  });
}

/** `arxiv`: the last announcement recorded, shown when the destination follows a category. */
export function statusFields(dest: Destination, now: Date, arxiv?: AnnouncementRecord): { label: string; value: string }[] {
  const { settings: s, state } = dest;
  const tz = s.timezone;
  const last = state.lastRunAt
    ? `${formatInstant(new Date(state.lastRunAt), tz)}, ${state.lastRunPapers ?? 0} paper${state.lastRunPapers === 1 ? '' : 's'}`
    : 'never';
  let next: string;
  if (s.paused) next = 'paused';
  else if (s.topics.length === 0) next = 'none (no topics)';
  else {
    try {
      next = formatInstant(nextRunAt(s, now, state.lastDigestDay), tz);
    } catch {
      next = `unknown (invalid schedule ${s.time} ${tz})`;
    }
  }
  const f = state.lastFailure;
  const failure = f
    ? `${formatInstant(new Date(f.at), tz)}: ${f.message} (${f.code}${f.permanent ? ', retries stopped until settings change' : ''})`
    : 'none';
  return [
    { label: 'Last run', value: last },
    { label: 'Next run', value: next },
    { label: 'Schedule', value: `${s.time} ${tz}, ${cadenceText(s)}` },
    ...(s.style && s.style !== 'full' ? [{ label: 'Style', value: s.style }] : []),
    { label: 'Last failure', value: failure },
    { label: 'Topics', value: String(s.topics.length) },
    { label: 'Paused', value: s.paused ? 'yes' : 'no' },
    ...(arxiv && followsArxiv(dest) ? [{ label: 'arXiv', value: announcementText(arxiv) }] : []),
  ];
}
