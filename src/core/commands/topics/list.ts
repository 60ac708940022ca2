import { listTopics } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsList: CommandSpec = {
  command: 'topics',
  sub: 'list',
  description: 'List your topics.',
  usage: '/topics list',
  options: [],
  run: (ctx, _args, deps) => listTopics('user', ctx, deps),
};
