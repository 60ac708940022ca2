import { setTime } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsTime: CommandSpec = {
  command: 'topics',
  sub: 'time',
  description: 'Set when your daily digest comes.',
  usage: '/topics time HH:MM [ZONE] [daily|weekdays] [quiet|note]',
  options: [
    { name: 'time', description: 'Local time, 24-hour HH:MM (e.g. 08:30)', type: 'string', required: true },
    {
      name: 'zone',
      description: 'IANA time zone, e.g. Europe/Berlin (default: unchanged)',
      type: 'string',
      required: false,
      autocomplete: 'timezone',
    },
    { name: 'days', description: 'weekdays: none on Saturday and Sunday; daily: every day (default: unchanged)', type: 'string', required: false, choices: ['daily', 'weekdays'] },
    { name: 'empty', description: 'Nothing new that day? quiet: post nothing; note: post one line (default: unchanged)', type: 'string', required: false, choices: ['quiet', 'note'] },
  ],
  run: (ctx, args, deps) => setTime('user', ctx, args.time, args.zone, deps, { days: args.days, empty: args.empty }),
};
