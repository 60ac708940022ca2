/**
 * What `/topics` (for the caller) and `/digest` (for the channel) have in common: the same
 * operations on one destination, worded for who owns it.
 */
import { PaperboyError } from '../model/errors.ts';
import type { Reply } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import { canonicalTimezone, formatTime, isWeekly, parseTime } from '../schedule/index.ts';
import type { CommandContext, CoreDeps } from './spec.ts';
import { cleanText, ensureDestination, findDestination, quote, scopeRef, type Scope } from './destinations.ts';
import { cadenceText, cadenceWord, followsArxiv, statusFields, WEEKDAY_NAMES } from './status.ts';
import { lastAnnouncement } from '../sources/arxiv/record.ts';
import type { TopicReading } from '../search/explain.ts';

/** Listing days a new topic is tried on. */
const RECENT_DAYS = 7;

const words = {
  user: { cmd: '/topics', owner: 'You', owns: 'You follow', none: 'You follow no topics yet.', their: 'your' },
  channel: { cmd: '/digest', owner: 'This channel', owns: 'This channel follows', none: 'This channel follows no topics yet.', their: "this channel's" },
} as const;

function maxTopics(scope: Scope, deps: CoreDeps): number {
  return scope === 'user' ? deps.config.maxTopicsPerUser : deps.config.maxTopicsPerChannel;
}

/** Checks a topic is well-formed (the index's parser says what is wrong) and counts what it matches now. */
export function checkTopic(raw: unknown, deps: CoreDeps): { topic: string; matches: number; reading?: TopicReading } {
  const topic = cleanText(String(raw ?? ''));
  if (!topic) throw new PaperboyError('usage', 'Give a topic, e.g. diffusion models.');
  if (topic.length > deps.config.maxQueryLength) {
    throw new PaperboyError('limit', `A topic can be at most ${deps.config.maxQueryLength} characters long (this one has ${topic.length}).`);
  }
  if (deps.index.explain) {
    const reading = deps.index.explain(topic, RECENT_DAYS);
    return { topic, matches: reading.total, reading };
  }
  const { total } = deps.index.search(topic, { limit: 1 });
  return { topic, matches: total };
}

/** "How it will be read" lines: its other forms, and what it matched over the latest stored days. */
function readingText(reading: TopicReading | undefined, matches: number): string {
  const papers = (n: number) => (n === 1 ? '1 paper' : `${n} papers`);
  if (!reading) return matches === 1 ? '1 paper already indexed matches it' : `${matches} papers already indexed match it`;
  const lines = reading.forms.length ? [`Read as: ${reading.forms.join('; ')}.`] : ['Read as written (no other forms found in the papers).'];
  if (reading.days === 0) lines.push('No papers are stored yet to try it on');
  else if (reading.recent === 0) lines.push(`It would have matched no paper of the last ${reading.days} stored days (${papers(reading.total)} of all stored): check the words, or try fewer`);
  else lines.push(`It would have matched ${papers(reading.recent)} of the last ${reading.days} stored days (${papers(reading.total)} of all stored)`);
  return lines.join('\n');
}

export async function addTopic(scope: Scope, ctx: CommandContext, raw: unknown, deps: CoreDeps): Promise<Reply> {
  const { topic, matches, reading } = checkTopic(raw, deps);
  const dest = await ensureDestination(scope, ctx, deps);
  const max = maxTopics(scope, deps);
  const w = words[scope];
  const { added, topics } = await deps.store.addTopic(dest.key, topic, max);
  if (!added) {
    if (topics.some((t) => t.toLowerCase() === topic.toLowerCase())) {
      return reply.notice('info', `${w.owns} ${quote(topic)} already.`);
    }
    throw new PaperboyError('limit', `${w.owner} already follow${scope === 'user' ? '' : 's'} ${topics.length} topics, the most allowed (${max}). Remove one with ${w.cmd} remove TOPIC first.`);
  }
  const when = `${dest.settings.time} ${dest.settings.timezone}`;
  const found = readingText(reading, matches);
  return reply.of([
    { type: 'notice', level: 'success', text: `Added ${quote(topic)} to ${w.their} topics (${topics.length} in all).` },
    { type: 'text', text: `${found}. New matches arrive in ${w.their} ${cadenceWord(dest.settings)} digest at ${when}${dest.settings.paused ? ' once it is resumed' : ''}.` },
  ]);
}

export async function removeTopic(scope: Scope, ctx: CommandContext, raw: unknown, deps: CoreDeps): Promise<Reply> {
  const topic = cleanText(String(raw ?? ''));
  if (!topic) throw new PaperboyError('usage', 'Name the topic to remove.');
  const w = words[scope];
  const dest = await findDestination(scopeRef(scope, ctx), deps);
  if (!dest || dest.settings.topics.length === 0) return reply.notice('info', w.none);
  const { removed, topics } = await deps.store.removeTopic(dest.key, topic);
  if (!removed) {
    return reply.of([
      { type: 'notice', level: 'warning', text: `${w.owner} do${scope === 'user' ? '' : 'es'} not follow ${quote(topic)}.` },
      { type: 'text', text: topics.length ? `${w.owns}: ${topics.map(quote).join(', ')}` : w.none },
    ]);
  }
  return reply.notice('success', `Removed ${quote(topic)}. ${topics.length} topic${topics.length === 1 ? '' : 's'} left.`);
}

export async function listTopics(scope: Scope, ctx: CommandContext, deps: CoreDeps): Promise<Reply> {
  const w = words[scope];
  const dest = await findDestination(scopeRef(scope, ctx), deps);
  const topics = dest?.settings.topics ?? [];
  if (topics.length === 0) {
    return reply.of([
      { type: 'notice', level: 'info', text: w.none },
      { type: 'text', text: `Add one with ${w.cmd} add TOPIC, e.g. ${w.cmd} add diffusion models.` },
    ]);
  }
  const s = dest!.settings;
  return reply.of([
    { type: 'header', text: `${w.owns} ${topics.length} topic${topics.length === 1 ? '' : 's'}` },
    { type: 'text', text: topics.map((t, i) => `${i + 1}. ${t}`).join('\n') },
    { type: 'text', text: `${cadenceWord(s) === 'weekly' ? 'Weekly' : 'Daily'} digest at ${s.time} ${s.timezone}, ${cadenceText(s)}${s.paused ? ' (paused)' : ''}.` },
  ]);
}

export async function clearTopics(scope: Scope, ctx: CommandContext, deps: CoreDeps): Promise<Reply> {
  const dest = await findDestination(scopeRef(scope, ctx), deps);
  if (!dest || dest.settings.topics.length === 0) return reply.notice('info', words[scope].none);
  const n = await deps.store.clearTopics(dest.key);
  return reply.notice('success', `Removed all ${n} topic${n === 1 ? '' : 's'}; no digest will be sent until you add one.`);
}

const DAYS: Record<string, { weekdaysOnly: boolean; weekly: boolean }> = {
  daily: { weekdaysOnly: false, weekly: false },
  weekdays: { weekdaysOnly: true, weekly: false },
  weekly: { weekdaysOnly: false, weekly: true },
};
const EMPTY: Record<string, boolean> = { quiet: false, note: true };

/** `mon` or `monday` (any case) -> 1; undefined for anything else. */
export function weekdayNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const i = WEEKDAY_NAMES.findIndex((name) => name.toLowerCase().startsWith(w) && (w.length === 3 || name.toLowerCase() === w));
  return i >= 0 ? i : undefined;
}

const isKeyword = (w: string) => w in DAYS || w in EMPTY || weekdayNumber(w) !== undefined;

/**
 * `HH:MM [ZONE] [daily|weekdays|weekly DAY] [quiet|note]`: the zone may be left out, so a keyword
 * typed in its place counts as the keyword. Cadence and empty-day note are left unchanged when not
 * given; `weekly` needs its day (`weekly mon`), and a day alone means weekly on it.
 */
export async function setTime(
  scope: Scope,
  ctx: CommandContext,
  rawTime: unknown,
  rawZone: unknown,
  deps: CoreDeps,
  extra: { days?: unknown; day?: unknown; empty?: unknown } = {},
): Promise<Reply> {
  const time = formatTime(parseTime(String(rawTime ?? '')));
  let zoneText = rawZone === undefined ? '' : String(rawZone).trim();
  const given = [extra.days, extra.day, extra.empty].map((v) => (v === undefined ? '' : String(v).trim().toLowerCase())).filter(Boolean);
  if (isKeyword(zoneText.toLowerCase())) {
    given.unshift(zoneText.toLowerCase());
    zoneText = '';
  }
  const patch: { weekdaysOnly?: boolean; weeklyOn?: number | null; notifyEmpty?: boolean } = {};
  let cadence: (typeof DAYS)[string] | undefined;
  let weekday: number | undefined;
  for (const word of given) {
    const wd = weekdayNumber(word);
    if (word in DAYS) cadence = DAYS[word];
    else if (wd !== undefined) weekday = wd;
    else if (word in EMPTY) patch.notifyEmpty = EMPTY[word];
    else throw new PaperboyError('usage', `"${word.slice(0, 20)}" is not an option here: use daily, weekdays or weekly DAY (e.g. weekly mon), and quiet or note.`);
  }
  if (cadence?.weekly && weekday === undefined) {
    throw new PaperboyError('usage', 'Say which day a weekly digest comes on, e.g. weekly mon or weekly fri.');
  }
  if (weekday !== undefined && cadence && !cadence.weekly) {
    const name = WEEKDAY_NAMES[weekday] ?? '';
    throw new PaperboyError('usage', `A day (${name}) goes with weekly only, e.g. weekly ${name.slice(0, 3).toLowerCase()}.`);
  }
  if (weekday !== undefined) Object.assign(patch, { weekdaysOnly: false, weeklyOn: weekday });
  else if (cadence) Object.assign(patch, { weekdaysOnly: cadence.weekdaysOnly, weeklyOn: null });
  const zone = zoneText ? canonicalTimezone(zoneText) : undefined;
  const dest = await ensureDestination(scope, ctx, deps);
  const updated = await deps.store.updateSettings(dest.key, { time, ...(zone ? { timezone: zone } : {}), ...patch });
  const next = statusFields(updated, deps.clock.now()).find((f) => f.label === 'Next run')?.value ?? '';
  const w = words[scope];
  const more = updated.settings.topics.length === 0 ? `No digest is sent until a topic is added with ${w.cmd} add TOPIC.` : `Next run: ${next}`;
  const s = updated.settings;
  const days = isWeekly(s) ? `, ${cadenceText(s)}` : s.weekdaysOnly ? ', on weekdays only' : '';
  const period = isWeekly(s) ? 'In a week' : 'On a day';
  const empty = s.notifyEmpty ? `${period} with nothing new, a one-line note is posted.` : `${period} with nothing new, nothing is posted.`;
  return reply.of([
    { type: 'notice', level: 'success', text: `The ${cadenceWord(s)} digest now comes at ${time} ${s.timezone}${days}.` },
    { type: 'text', text: `${more}\n${empty}` },
  ]);
}

export async function setPaused(scope: Scope, ctx: CommandContext, paused: boolean, deps: CoreDeps): Promise<Reply> {
  const w = words[scope];
  const dest = await ensureDestination(scope, ctx, deps);
  if (dest.settings.paused === paused) {
    return reply.notice('info', `${w.owner === 'You' ? 'Your' : "This channel's"} digest is already ${paused ? 'paused' : 'on'}.`);
  }
  await deps.store.updateSettings(dest.key, { paused });
  return reply.notice(
    'success',
    paused
      ? `Paused. No digest will be sent until ${w.cmd} ${scope === 'user' ? 'resume' : 'on'}; ${w.their} topics are kept.`
      : `Resumed. The next digest comes at ${dest.settings.time} ${dest.settings.timezone}.`,
  );
}

export async function status(scope: Scope, ctx: CommandContext, deps: CoreDeps): Promise<Reply> {
  const ref = scopeRef(scope, ctx);
  const dest = await findDestination(ref, deps);
  const w = words[scope];
  if (!dest) {
    return reply.of([
      { type: 'notice', level: 'info', text: `${w.none} Nothing is scheduled.` },
      { type: 'text', text: `Add a topic with ${w.cmd} add TOPIC.` },
    ]);
  }
  return reply.of([
    { type: 'header', text: scope === 'user' ? 'Your digest' : 'This channel’s digest' },
    { type: 'fields', fields: statusFields(dest, deps.clock.now(), followsArxiv(dest) ? lastAnnouncement(await deps.store.fetchedDays()) : undefined) },
  ]);
}
