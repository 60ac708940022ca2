import { setPaused } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestOn: CommandSpec = {
  command: 'digest',
  sub: 'on',
  description: "Turn this channel's daily digest back on.",
  usage: '/digest on',
  permission: 'manage-channel',
  needsChannel: true,
  options: [],
  run: (ctx, _args, deps) => setPaused('channel', ctx, false, deps),
};
