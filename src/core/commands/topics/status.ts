import { status } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsStatus: CommandSpec = {
  command: 'topics',
  sub: 'status',
  description: 'When your digest last ran and runs next.',
  usage: '/topics status',
  options: [],
  run: (ctx, _args, deps) => status('user', ctx, deps),
};
