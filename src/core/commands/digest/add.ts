import { addTopic } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestAdd: CommandSpec = {
  command: 'digest',
  sub: 'add',
  description: "Add a topic to this channel's daily digest.",
  usage: '/digest add TOPIC',
  permission: 'manage-channel',
  needsChannel: true,
  options: [
    {
      name: 'topic',
      description: 'Words, "exact phrases", -excluded, a | b, author:"Name"',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  run: (ctx, args, deps) => addTopic('channel', ctx, args.topic, deps),
};
