/** `/digest style` and `/topics style`: how the digest is posted (full cards, a thread, or compact lines). */
import { DIGEST_STYLES, type DigestStyle } from '../model/destination.ts';
import { PaperboyError } from '../model/errors.ts';
import type { Reply } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import { ensureDestination, type Scope } from './destinations.ts';
import type { CommandContext, CommandSpec, CoreDeps, OptionSpec } from './spec.ts';

const SAYS: Record<DigestStyle, string> = {
  full: 'a card per paper, with its summary, links and buttons',
  thread: 'one short header message, with the papers as replies in its thread',
  compact: 'one line per paper: its linked title, upvotes and the topic it matched',
};

export async function setStyle(scope: Scope, ctx: CommandContext, raw: unknown, deps: CoreDeps): Promise<Reply> {
  const word = String(raw ?? '').trim().toLowerCase();
  if (!(DIGEST_STYLES as readonly string[]).includes(word)) {
    throw new PaperboyError('usage', `Say which style: ${DIGEST_STYLES.join(', ')}.`);
  }
  const style = word as DigestStyle;
  // A direct message has no threads on Discord, and a thread of one's own digest helps nobody.
  if (scope === 'user' && style === 'thread') {
    throw new PaperboyError('usage', 'Threads are for channel digests; your own digest can be full or compact.');
  }
  const dest = await ensureDestination(scope, ctx, deps);
  await deps.store.updateSettings(dest.key, { style });
  const whose = scope === 'user' ? 'Your' : "This channel's";
  return reply.notice('success', `${whose} digest now comes as ${style}: ${SAYS[style]}.`);
}

function styleOption(choices: DigestStyle[]): OptionSpec {
  const short: Record<DigestStyle, string> = { full: 'full: a card per paper', thread: 'thread: papers in the thread of one header', compact: 'compact: a line per paper' };
  return { name: 'style', description: choices.map((c) => short[c]).join('; '), type: 'string', required: true, choices };
}

export const digestStyle: CommandSpec = {
  command: 'digest',
  sub: 'style',
  description: "How this channel's digest is posted: full cards, a thread, or compact lines.",
  usage: '/digest style full|thread|compact',
  permission: 'manage-channel',
  needsChannel: true,
  options: [styleOption(['full', 'thread', 'compact'])],
  run: (ctx, args, deps) => setStyle('channel', ctx, args.style, deps),
};

export const topicsStyle: CommandSpec = {
  command: 'topics',
  sub: 'style',
  description: 'How your digest is posted: full cards or compact lines.',
  usage: '/topics style full|compact',
  options: [styleOption(['full', 'compact'])],
  run: (ctx, args, deps) => setStyle('user', ctx, args.style, deps),
};
