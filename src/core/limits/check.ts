/** The rate limit as runCommand applies it: per caller, on the core's clock. */
import { destinationKey } from '../model/destination.ts';
import type { Reply } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import type { CommandContext, CoreDeps } from '../commands/spec.ts';
import { rateLimitMessage } from './rate-limit.ts';

/** A "slow down" reply when the caller is over the limit; undefined when the command may run. */
export function checkRate(ctx: CommandContext, deps: Pick<CoreDeps, 'limiter' | 'clock'>): Reply | undefined {
  const limiter = deps.limiter;
  // The terminal has one user, the operator: nobody to protect the bot from.
  if (!limiter || ctx.platform === 'shell') return undefined;
  const decision = limiter.take(destinationKey(ctx.user), deps.clock.now().getTime());
  if (decision.ok) return undefined;
  return reply.notice('warning', rateLimitMessage(decision.retryAfterMs, limiter.options));
}
