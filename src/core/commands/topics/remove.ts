import { removeTopic } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsRemove: CommandSpec = {
  command: 'topics',
  sub: 'remove',
  description: 'Stop following one of your topics.',
  usage: '/topics remove TOPIC',
  options: [
    {
      name: 'topic',
      description: 'One of your topics',
      type: 'string',
      required: true,
      rest: true,
      autocomplete: 'own-topics',
    },
  ],
  run: (ctx, args, deps) => removeTopic('user', ctx, args.topic, deps),
};
