/** The neutral reply of a digest, and the preview `/digest preview` and `/topics preview` show. */
import type { Destination, DestinationRef } from '../model/destination.ts';
import { destinationKey } from '../model/destination.ts';
import type { Digest, Reply, ReplyBlock } from '../model/reply.ts';
import type { CoreDeps } from '../commands/spec.ts';
import { buildDigest } from './build.ts';
import { cardButtons } from '../commands/like.ts';

function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** Header with the date, one block per paper, and "and K more" with the link; nothing platform-specific. */
export function digestReply(digest: Digest): Reply {
  const blocks: ReplyBlock[] = [{ type: 'header', text: `Daily papers · ${longDay(digest.day)}` }];
  if (digest.hits.length === 0) {
    blocks.push({ type: 'notice', level: 'info', text: 'No new papers matched the topics since the last digest.' });
    return { ephemeral: false, blocks };
  }
  const n = digest.total;
  blocks.push({ type: 'text', text: `${n} new paper${n === 1 ? '' : 's'} matching the topics${n > digest.hits.length ? `, top ${digest.hits.length} by upvotes` : ''}.` });
  digest.hits.forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: i + 1, buttons: cardButtons(hit.paper.id) }));
  const more = digest.total - digest.hits.length;
  if (more > 0) blocks.push({ type: 'more', count: more, url: digest.moreUrl });
  return { ephemeral: false, blocks };
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
  const body = digestReply(digest);
  const note = dest.settings.paused
    ? `Preview only: this digest is paused (${cmd} ${ref.kind === 'user' ? 'resume' : 'on'} to turn it back on).`
    : 'Preview only: this is what the next digest would hold if it ran now. Nothing was sent or recorded.';
  return { ephemeral: true, blocks: [{ type: 'notice', level: 'info', text: note }, ...body.blocks] };
}
