import { listTopics } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestList: CommandSpec = {
  command: 'digest',
  sub: 'list',
  description: "List this channel's topics.",
  usage: '/digest list',
  needsChannel: true,
  options: [],
  run: (ctx, _args, deps) => listTopics('channel', ctx, deps),
};
