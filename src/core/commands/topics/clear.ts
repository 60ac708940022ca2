import { clearTopics } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsClear: CommandSpec = {
  command: 'topics',
  sub: 'clear',
  description: 'Remove all your topics.',
  usage: '/topics clear',
  options: [],
  run: (ctx, _args, deps) => clearTopics('user', ctx, deps),
};
