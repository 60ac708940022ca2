import { status } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestStatus: CommandSpec = {
  command: 'digest',
  sub: 'status',
  description: "When this channel's digest last ran and runs next.",
  usage: '/digest status',
  needsChannel: true,
  options: [],
  run: (ctx, _args, deps) => status('channel', ctx, deps),
};
