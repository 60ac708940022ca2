import { previewDigest } from '../../digests/index.ts';
import type { CommandSpec } from '../spec.ts';

export const topicsPreview: CommandSpec = {
  command: 'topics',
  sub: 'preview',
  description: 'What your next personal digest would hold.',
  usage: '/topics preview',
  options: [],
  run: (ctx, _args, deps) => previewDigest(ctx.user, deps),
};
