import { setPaused } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsPause: CommandSpec = {
  command: 'topics',
  sub: 'pause',
  description: 'Pause your daily digest (topics are kept).',
  usage: '/topics pause',
  options: [],
  run: (ctx, _args, deps) => setPaused('user', ctx, true, deps),
};
