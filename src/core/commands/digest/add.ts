import { addTopic } from '../topic-ops.ts';
import { topicOption } from '../options.ts';
import type { CommandSpec } from '../spec.ts';

export const digestAdd: CommandSpec = {
  command: 'digest',
  sub: 'add',
  description: "Add a topic to this channel's daily digest.",
  usage: '/digest add TOPIC',
  permission: 'manage-channel',
  needsChannel: true,
  options: [topicOption],
  run: (ctx, args, deps) => addTopic('channel', ctx, args.topic, deps),
};
