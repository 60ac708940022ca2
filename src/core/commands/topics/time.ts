import { setTime } from '../topic-ops.ts';
import { timeOptions } from '../options.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsTime: CommandSpec = {
  command: 'topics',
  sub: 'time',
  description: 'Set when your digest comes: daily, on weekdays or weekly.',
  usage: '/topics time HH:MM [ZONE] [daily|weekdays|weekly DAY] [quiet|note]',
  options: timeOptions,
  run: (ctx, args, deps) => setTime('user', ctx, args.time, args.zone, deps, { days: args.days, day: args.day, empty: args.empty }),
};
