/** Runs a typed command line the way the terminal and Slack do: parse, then run. */
import { parseCommandText, runCommand, type CommandContext, type CoreDeps } from '../../../src/core/commands/index.ts';
import type { Reply, ReplyBlock } from '../../../src/core/model/index.ts';

export async function typed(line: string, ctx: CommandContext, deps: CoreDeps): Promise<Reply> {
  const parsed = parseCommandText(line);
  if ('error' in parsed) return parsed.error;
  return runCommand(parsed.spec, ctx, parsed.args, deps);
}

export function blocksOf<T extends ReplyBlock['type']>(r: Reply, type: T): Extract<ReplyBlock, { type: T }>[] {
  return r.blocks.filter((b): b is Extract<ReplyBlock, { type: T }> => b.type === type);
}

/** The first notice, as `level: text`. */
export function noticeOf(r: Reply): string {
  const n = blocksOf(r, 'notice')[0];
  return n ? `${n.level}: ${n.text}` : '';
}
