/** The neutral reply of a digest, and the preview `/digest preview` and `/topics preview` show. */
import type { Destination, DestinationRef, DigestStyle } from '../model/destination.ts';
import { destinationKey } from '../model/destination.ts';
import type { Digest, Reply, ReplyBlock } from '../model/reply.ts';
import type { CoreDeps } from '../commands/spec.ts';
import { buildDigest } from './build.ts';
import { isWeekly } from '../schedule/index.ts';
import { cardButtons } from '../commands/like.ts';
import { showAllAction } from './show-all.ts';

function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export interface DigestLayout {
  /** full (default): a card per paper; thread: a short header, the papers in its thread; compact: a line per paper. */
  style?: DigestStyle | undefined;
  /** The destination's topics, named in a thread's header. */
  topics?: string[];
  weekly?: boolean;
}

/** "8 new papers for LLM agents, robotics · 2026-08-13", within a header's 150 characters. */
function threadHeader(digest: Digest, topics: string[]): string {
  const n = digest.total;
  const head = `${n} new paper${n === 1 ? '' : 's'}`;
  const tail = ` · ${digest.day}`;
  let named = topics.length ? ` for ${topics.join(', ')}` : '';
  const room = 150 - head.length - tail.length;
  if (named.length > room) named = `${named.slice(0, Math.max(0, room - 1))}…`;
  return `${head}${named}${tail}`;
}

/** Header with the date, one block per paper, and "and K more" with the link; nothing platform-specific. */
export function digestReply(digest: Digest, layout: DigestLayout = {}): Reply {
  const style = layout.style ?? 'full';
  const blocks: ReplyBlock[] = [{ type: 'header', text: `${layout.weekly ? 'Weekly' : 'Daily'} papers · ${longDay(digest.day)}` }];
  if (digest.hits.length === 0) {
    blocks.push({ type: 'notice', level: 'info', text: 'No new papers matched the topics since the last digest.' });
    return { ephemeral: false, blocks };
  }
  if (style === 'thread') {
    const thread: ReplyBlock[] = [{ type: 'header', text: threadHeader(digest, layout.topics ?? []) }];
    digest.hits.forEach((hit, i) => thread.push({ type: 'paper', hit, rank: i + 1, buttons: cardButtons(hit.paper.id) }));
    const rest = digest.total - digest.hits.length;
    if (rest > 0) thread.push({ type: 'more', count: rest, url: digest.moreUrl });
    return { ephemeral: false, blocks: thread, threadFrom: 1 };
  }
  if (style === 'compact') {
    digest.hits.forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: i + 1, compact: true }));
    const rest = digest.total - digest.hits.length;
    if (rest > 0) blocks.push({ type: 'more', count: rest, url: digest.moreUrl });
    return { ephemeral: false, blocks };
  }
  const n = digest.total;
  blocks.push({ type: 'text', text: `${n} new paper${n === 1 ? '' : 's'} matching the topics${n > digest.hits.length ? `, top ${digest.hits.length} by upvotes` : ''}.` });
  digest.hits.forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: i + 1, buttons: cardButtons(hit.paper.id) }));
  const more = digest.total - digest.hits.length;
  if (more > 0) {
    blocks.push({ type: 'more', count: more, url: digest.moreUrl });
    blocks.push({ type: 'actions', buttons: [{ label: `Show all ${digest.total}`, action: showAllAction(digest) }] });
  }
  return { ephemeral: false, blocks };
}

/** How a destination's digest is laid out, from its settings. */
export function layoutOf(dest: Destination): DigestLayout {
  return { style: dest.settings.style, topics: dest.settings.topics, weekly: isWeekly(dest.settings) };
}

/** What the destination's digest would hold if it ran now. Records nothing; visible only to the caller. */
export async function previewDigest(ref: DestinationRef | Destination, deps: CoreDeps, opts: { now?: Date } = {}): Promise<Reply> {
  const dest = 'settings' in ref ? ref : await deps.store.getDestination(destinationKey(ref));
  const cmd = ref.kind === 'user' ? '/topics' : '/digest';
  if (!dest || dest.settings.topics.length === 0) {
    return {
      ephemeral: true,
      blocks: [
        { type: 'notice', level: 'info', text: `There is nothing to preview: no topics yet. Add one with ${cmd} add TOPIC.` },
      ],
    };
  }
  const digest = await buildDigest(dest, deps, opts);
  const body = digestReply(digest, layoutOf(dest));
  const note = dest.settings.paused
    ? `Preview only: this digest is paused (${cmd} ${ref.kind === 'user' ? 'resume' : 'on'} to turn it back on).`
    : 'Preview only: this is what the next digest would hold if it ran now. Nothing was sent or recorded.';
  return { ephemeral: true, blocks: [{ type: 'notice', level: 'info', text: note }, ...body.blocks] };
}
