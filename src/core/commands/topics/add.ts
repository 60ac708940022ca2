import { addTopic } from '../topic-ops.ts';
import { topicOption } from '../options.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsAdd: CommandSpec = {
  command: 'topics',
  sub: 'add',
  description: 'Follow a topic in your personal daily digest.',
  usage: '/topics add TOPIC',
  options: [topicOption],
  run: (ctx, args, deps) => addTopic('user', ctx, args.topic, deps),
};
