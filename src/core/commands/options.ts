import type { OptionSpec } from './spec.ts';

/** Options shared by the personal (/topics) and channel (/digest) forms of a command. */

export const QUERY_SYNTAX = 'Words, "exact phrases", -excluded, a | b, author:"Name"';

export const topicOption: OptionSpec = {
  name: 'topic',
  description: QUERY_SYNTAX,
  type: 'string',
  required: true,
  rest: true,
};

export const timeOptions: OptionSpec[] = [
  { name: 'time', description: 'Local time, 24-hour HH:MM (e.g. 08:30)', type: 'string', required: true },
  {
    name: 'zone',
    description: 'IANA time zone, e.g. Europe/Berlin (default: unchanged)',
    type: 'string',
    required: false,
    autocomplete: 'timezone',
  },
  { name: 'days', description: 'daily; weekdays: none on Sat and Sun; weekly: once a week on DAY (default: unchanged)', type: 'string', required: false, choices: ['daily', 'weekdays', 'weekly'] },
  { name: 'day', description: 'The day of a weekly digest (with days: weekly)', type: 'string', required: false, choices: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
  { name: 'empty', description: 'Nothing new that day? quiet: post nothing; note: post one line (default: unchanged)', type: 'string', required: false, choices: ['quiet', 'note'] },
];
