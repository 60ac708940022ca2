/** The fields of a status reply: last run, next run, last failure, topics, paused. */
import type { Destination } from '../model/destination.ts';
import { nextRunAt } from '../schedule/index.ts';
import { formatInstant } from './destinations.ts';

export function statusFields(dest: Destination, now: Date): { label: string; value: string }[] {
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
      next = formatInstant(nextRunAt(s, now), tz);
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
    { label: 'Schedule', value: `${s.time} ${tz}${s.weekdaysOnly ? ', weekdays only' : ', every day'}` },
    { label: 'Last failure', value: failure },
    { label: 'Topics', value: String(s.topics.length) },
    { label: 'Paused', value: s.paused ? 'yes' : 'no' },
  ];
}
