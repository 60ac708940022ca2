import { setPaused } from '../topic-ops.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsResume: CommandSpec = {
  command: 'topics',
  sub: 'resume',
  description: 'Resume your daily digest.',
  usage: '/topics resume',
  options: [],
  run: (ctx, _args, deps) => setPaused('user', ctx, false, deps),
};
