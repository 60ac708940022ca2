import { setPaused } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const digestOff: CommandSpec = {
  command: 'digest',
  sub: 'off',
  description: "Turn this channel's daily digest off (topics are kept).",
  usage: '/digest off',
  permission: 'manage-channel',
  needsChannel: true,
  options: [],
  run: (ctx, _args, deps) => setPaused('channel', ctx, true, deps),
};
