import { previewDigest } from '../../digests/index.ts';
import { scopeRef } from '../destinations.ts';
import type { CommandSpec } from '../spec.ts';

export const digestPreview: CommandSpec = {
  command: 'digest',
  sub: 'preview',
  description: "What this channel's next digest would hold, shown only to you.",
  usage: '/digest preview',
  needsChannel: true,
  options: [],
  run: (ctx, _args, deps) => previewDigest(scopeRef('channel', ctx), deps),
};
