import { addTopic } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsAdd: CommandSpec = {
  command: 'topics',
  sub: 'add',
  description: 'Follow a topic in your personal daily digest.',
  usage: '/topics add TOPIC',
  options: [
    {
      name: 'topic',
      description: 'Words, "exact phrases", -excluded, a | b, author:"Name"',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  run: (ctx, args, deps) => addTopic('user', ctx, args.topic, deps),
};
