import { setTime } from '../topic-ops.ts';
import { timeOptions } from '../options.ts';
import type { CommandSpec } from '../spec.ts';

export const digestTime: CommandSpec = {
  command: 'digest',
  sub: 'time',
  description: "Set when this channel's digest is posted.",
  usage: '/digest time HH:MM [ZONE] [daily|weekdays|weekly DAY] [quiet|note]',
  permission: 'manage-channel',
  needsChannel: true,
  options: timeOptions,
  run: (ctx, args, deps) => setTime('channel', ctx, args.time, args.zone, deps, { days: args.days, day: args.day, empty: args.empty }),
};
