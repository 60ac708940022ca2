/**
 * Settling a claim nobody in this process is working on: a crash between claim and record, or a
 * send whose outcome is unknown (a timeout, a reset, a proxy's 502). The platform is asked whether
 * the digest's messages arrived (`Adapter.findDelivered`) before anything is posted again:
 *
 * - found whole: recorded as sent, with the papers the messages carried;
 * - a digest of several parts found in part (or recorded in part): the remaining parts are sent,
 *   never the landed ones again;
 * - not found: the claim is ours to send;
 * - the platform cannot be asked (the terminal, a token without history scopes, a forum): recorded
 *   as failed ("interrupted") and not sent again. At most once wins over at least once.
 */
import { DeliveryError, DELIVERY_UNKNOWN, type Adapter, type CoreDeps, type DeliveryFailure, type Destination, type DigestInProgress, type FoundDigest } from '../core/index.ts';
import { digestId } from './digest-id.ts';
import { failureOf } from './retry.ts';

type Base = { key: string; day: string };
export type DestinationOutcome =
  | (Base & { status: 'sent'; papers: number })
  | (Base & { status: 'empty' })
  /** Found already posted after a crash or an unknown outcome, and recorded as sent. */
  | (Base & { status: 'reconciled'; papers: number })
  | (Base & { status: 'already-claimed' })
  /** A send of this digest is still running in this process (it outlived its time limit). */
  | (Base & { status: 'in-flight' })
  /** Due while the bot was down, beyond the catch-up window: skipped and recorded. */
  | (Base & { status: 'missed' })
  | (Base & { status: 'failed'; failure: DeliveryFailure; retry: boolean });

/** A digest of several parts, some of them on the platform: send the others. */
export interface Resume {
  resume: DigestInProgress;
  done: Set<number>;
}

type Deps = Pick<CoreDeps, 'store' | 'clock' | 'logger'>;

/** The digest of `day` recorded as in progress on the destination, if any. */
export function inProgress(dest: Destination, day: string): DigestInProgress | undefined {
  const s = dest.state.sending;
  return s && s.day === day ? s : undefined;
}

/** Papers a digest in progress carries: they count as delivered however it ends. */
export function papersOf(p: DigestInProgress | undefined): string[] {
  return p?.message.digest?.paperIds ?? [];
}

export async function recordRun(deps: Deps, dest: Destination, day: string, at: string, papers: number): Promise<void> {
  await deps.store.updateState(dest.key, { lastRunAt: at, lastRunPapers: papers, lastDigestDay: day, lastFailure: undefined, failures: 0, sending: undefined });
}

export async function recordFailure(deps: Deps, dest: Destination, failure: DeliveryFailure, closeDay?: string): Promise<void> {
  await deps.store.updateState(dest.key, {
    lastFailure: failure,
    failures: (dest.state.failures ?? 0) + 1,
    ...(closeDay ? { lastDigestDay: closeDay, sending: undefined } : {}),
  });
}

/** Returns an outcome, `'send'` when nothing of the digest arrived, or the parts left to send. */
export async function reconcile(deps: Deps, adapter: Adapter | undefined, dest: Destination, day: string, at: string): Promise<DestinationOutcome | 'send' | Resume> {
  const { key } = dest;
  const pending = inProgress(dest, day);
  const interrupted = async (why = ''): Promise<DestinationOutcome> => {
    const failure: DeliveryFailure = {
      at,
      code: 'interrupted',
      message: `The digest of ${day} was interrupted (Paperboy stopped, or the platform gave no clear answer); it may not have arrived and is not sent again, so that it is never sent twice.${why}`,
      permanent: false,
    };
    await deps.store.finishDigest(key, day, 'failed', papersOf(pending), at);
    await deps.store.updateState(key, { lastFailure: failure, lastDigestDay: day, sending: undefined });
    return { key, day, status: 'failed', failure, retry: false };
  };
  if (!adapter?.findDelivered) return interrupted();
  let found: FoundDigest | undefined;
  try {
    found = await adapter.findDelivered(dest, digestId(key, day));
  } catch (e) {
    // The platform cannot say (e.g. no permission to read the history): as if it could not look.
    if (e instanceof DeliveryError && e.reason === DELIVERY_UNKNOWN) return interrupted(` (${e.message})`);
    const failure = failureOf(e, at);
    deps.logger.warn({ destination: key, day, code: failure.code, err: failure.message }, 'could not check whether an interrupted digest arrived');
    if (failure.permanent) {
      await deps.store.finishDigest(key, day, 'failed', papersOf(pending), at);
      await recordFailure(deps, dest, failure, day);
      return { key, day, status: 'failed', failure, retry: false };
    }
    // The claim stays: the next cycle asks again.
    await recordFailure(deps, dest, failure);
    return { key, day, status: 'failed', failure, retry: true };
  }
  if (!pending) {
    if (!found) return 'send';
    return reconciled(deps, dest, day, at, found.paperIds);
  }
  // Several parts: what was recorded, plus what the platform shows (an adapter that cannot tell parts apart found it whole).
  const done = new Set(pending.landed);
  if (found) for (const p of found.parts ?? allParts(pending.parts)) done.add(p);
  if (done.size >= pending.parts) return reconciled(deps, dest, day, at, papersOf(pending));
  deps.logger.info({ destination: key, day, landed: [...done], parts: pending.parts }, 'digest landed in part; sending the remaining parts');
  return { resume: pending, done };
}

async function reconciled(deps: Deps, dest: Destination, day: string, at: string, paperIds: string[]): Promise<DestinationOutcome> {
  await deps.store.finishDigest(dest.key, day, 'sent', paperIds, at);
  await recordRun(deps, dest, day, at, paperIds.length);
  deps.logger.info({ destination: dest.key, day, papers: paperIds.length }, 'interrupted digest had arrived; recorded as sent');
  return { key: dest.key, day, status: 'reconciled', papers: paperIds.length };
}

/** Every part of a digest of `n` messages. */
export function allParts(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
