/**
 * The Home tab and its two modals as Block Kit views. A person's own things only: their topics
 * (Remove each, Add topic), their schedule (Change), what their next digest would hold, and their
 * saved papers. Cards reuse the message renderer, so they look and act as in messages.
 */
import { QUERY_SYNTAX, WEEKDAY_NAMES, cadenceText, defaultSettings, savedList, statusFields, type CommandContext, type CoreDeps } from '../../core/commands/index.ts';
import { previewDigest } from '../../core/digests/index.ts';
import { destinationKey, type Action, type Button, type Reply, type ReplyBlock } from '../../core/index.ts';
import { escapeMrkdwn, truncate } from './escape.ts';
import { renderReply, type SlackBlock } from './render.ts';

/** Action ids of the Home tab's own buttons (paper buttons keep the message prefix). */
export const HOME_ACTION = 'paperboy-home:';
export const ADD_TOPIC_VIEW = 'paperboy-add-topic';
export const SCHEDULE_VIEW = 'paperboy-schedule';
/** Block and action ids of the modals' inputs. */
export const FIELD = { topic: 'topic', time: 'time', zone: 'zone', cadence: 'cadence', day: 'day' } as const;

export interface SlackView {
  type: 'home' | 'modal';
  blocks: SlackBlock[];
  [key: string]: unknown;
}

const MAX_VIEW_BLOCKS = 100;
const PREVIEW_CARDS = 5;
const plain = (text: string, max = 75) => ({ type: 'plain_text', text: truncate(text.trim() || ' ', max), emoji: true });
const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) || ' ' } });
const button = (label: string, action: string, value?: string, primary = false): SlackBlock => ({
  type: 'button', text: plain(label), action_id: `${HOME_ACTION}${action}`, ...(value !== undefined ? { value } : {}), ...(primary ? { style: 'primary' } : {}),
});

/**
 * Buttons whose outcome the tab itself can show (it has no message to answer in): saving and
 * removing redraw the saved list. Others (More like this, paging a lookup) belong in messages.
 */
export const HOME_BUTTONS = new Set<Action['type']>(['save', 'unsave', 'saved']);

function homeButtons(r: Reply): Reply {
  const keep = (bs: Button[]) => bs.filter((b) => HOME_BUTTONS.has(b.action.type));
  return {
    ...r,
    blocks: r.blocks.flatMap((b): ReplyBlock[] => {
      if (b.type === 'paper') return [{ ...b, buttons: keep(b.buttons ?? []) }];
      if (b.type === 'actions') return keep(b.buttons).length ? [{ ...b, buttons: keep(b.buttons) }] : [];
      return [b];
    }),
  };
}

/** A reply's blocks inside a view: block ids made unique per part, since parts repeat card numbers. */
function part(name: string, r: Reply): SlackBlock[] {
  return renderReply(homeButtons(r)).blocks.map((b) => (typeof b.block_id === 'string' ? { ...b, block_id: `${name}-${b.block_id}` } : b));
}

/** The preview without its "preview only" note, cut to a few cards (the Home tab is a glance). */
function shortPreview(r: Reply): Reply {
  const blocks: ReplyBlock[] = [];
  let cards = 0;
  let cut = 0;
  for (const b of r.blocks) {
    if (b.type === 'notice' && b.level === 'info' && b.text.startsWith('Preview only')) continue;
    if (b.type === 'paper' && ++cards > PREVIEW_CARDS) {
      cut += 1;
      continue;
    }
    blocks.push(b);
  }
  if (cut > 0) blocks.push({ type: 'text', text: `…and ${cut} more: /topics preview shows them all.` });
  return { ...r, blocks };
}

export async function homeView(ctx: CommandContext, deps: CoreDeps, opts: { notice?: Reply; savedPage?: number } = {}): Promise<SlackView> {
  const dest = await deps.store.getDestination(destinationKey(ctx.user));
  const topics = dest?.settings.topics ?? [];
  const blocks: SlackBlock[] = [{ type: 'header', text: plain('Paperboy', 150) }];
  if (opts.notice) blocks.push(...part('notice', opts.notice));

  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*Your topics* (${topics.length} of ${deps.config.maxTopicsPerUser})` },
    accessory: button('Add topic', 'add-topic', undefined, true),
  });
  if (topics.length === 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'You follow no topics yet. Add one and its new papers come in your digest.' }] });
  topics.forEach((t, i) => {
    // A topic is at most 200 characters, far within a button value's 2000.
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `• ${truncate(escapeMrkdwn(t), 2900)}` }, accessory: button('Remove', `remove-topic:${i}`, t) });
  });

  blocks.push({ type: 'divider' });
  const fields = dest ? statusFields(dest, deps.clock.now()) : [];
  const field = (label: string) => fields.find((f) => f.label === label)?.value ?? '';
  const s = dest?.settings ?? defaultSettings(deps, ctx, 'user');
  const schedule = `${s.time} ${s.timezone}, ${cadenceText(s)}${s.paused ? ' (paused: /topics resume)' : ''}`;
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*Your digest*\n${escapeMrkdwn(schedule)}${dest ? `\nNext: ${escapeMrkdwn(field('Next run'))} · last: ${escapeMrkdwn(field('Last run'))}` : ''}` },
    accessory: button('Change schedule', 'schedule'),
  });

  blocks.push({ type: 'divider' }, section('*Your next digest*'));
  blocks.push(...part('preview', shortPreview(await previewDigest(ctx.user, deps))));

  blocks.push({ type: 'divider' });
  blocks.push(...part('saved', await savedList(ctx, opts.savedPage ?? 1, deps)));
  return { type: 'home', blocks: fitView(blocks) };
}

/** Keeps a view within 100 blocks, saying so. */
function fitView(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= MAX_VIEW_BLOCKS) return blocks;
  return [...blocks.slice(0, MAX_VIEW_BLOCKS - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: 'More is not shown here; /topics and /papers saved list everything.' }] }];
}

export function addTopicModal(maxLength: number): SlackView {
  return {
    type: 'modal',
    callback_id: ADD_TOPIC_VIEW,
    title: plain('Add a topic', 24),
    submit: plain('Add', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.topic,
        label: plain('Topic', 2000),
        element: { type: 'plain_text_input', action_id: FIELD.topic, max_length: maxLength, placeholder: plain('e.g. diffusion models', 150) },
        hint: plain(QUERY_SYNTAX, 2000),
      },
    ],
  };
}

/** What /topics add answered, shown in place of the modal. */
export function answerModal(title: string, r: Reply): SlackView {
  return { type: 'modal', title: plain(title, 24), close: plain('Done', 24), blocks: renderReply(r).blocks.slice(0, MAX_VIEW_BLOCKS) };
}

const CADENCES = [
  { value: 'daily', text: 'Every day' },
  { value: 'weekdays', text: 'Weekdays only' },
  { value: 'weekly', text: 'Once a week' },
];

const option = (value: string, text: string) => ({ text: plain(text), value });

/** The schedule modal, filled with the current schedule; the zone is the Slack profile's when known. */
export async function scheduleModal(ctx: CommandContext, deps: CoreDeps): Promise<SlackView> {
  const dest = await deps.store.getDestination(destinationKey(ctx.user));
  const s = dest?.settings ?? defaultSettings(deps, ctx, 'user');
  const zone = ctx.userTimezone ?? s.timezone;
  const weekly = typeof s.weeklyOn === 'number';
  const cadence = CADENCES.find((c) => c.value === (weekly ? 'weekly' : s.weekdaysOnly ? 'weekdays' : 'daily'))!;
  const days = [1, 2, 3, 4, 5, 6, 0].map((d) => option(WEEKDAY_NAMES[d]!.slice(0, 3).toLowerCase(), WEEKDAY_NAMES[d]!));
  const day = days.find((o) => o.value === WEEKDAY_NAMES[weekly ? (s.weeklyOn as number) : 1]!.slice(0, 3).toLowerCase())!;
  return {
    type: 'modal',
    callback_id: SCHEDULE_VIEW,
    title: plain('Your digest', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'input', block_id: FIELD.time, label: plain('Time', 2000), element: { type: 'timepicker', action_id: FIELD.time, initial_time: s.time } },
      {
        type: 'input',
        block_id: FIELD.zone,
        label: plain('Time zone', 2000),
        element: { type: 'plain_text_input', action_id: FIELD.zone, initial_value: zone, max_length: 64 },
        hint: plain(ctx.userTimezone ? 'From your Slack profile; any IANA zone such as Europe/Berlin works.' : 'An IANA zone such as Europe/Berlin.', 2000),
      },
      {
        type: 'input',
        block_id: FIELD.cadence,
        label: plain('How often', 2000),
        element: { type: 'radio_buttons', action_id: FIELD.cadence, options: CADENCES.map((c) => option(c.value, c.text)), initial_option: option(cadence.value, cadence.text) },
      },
      {
        type: 'input',
        block_id: FIELD.day,
        optional: true,
        label: plain('Day (for once a week)', 2000),
        element: { type: 'static_select', action_id: FIELD.day, options: days, initial_option: day },
      },
    ],
  };
}
