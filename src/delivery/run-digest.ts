/**
 * One destination's scheduled digest: claim in the ledger, reconcile a claim a crash left open,
 * build, send with bounded retries and a time limit, record.
 *
 * What a crash between claim and send means: the claim stays 'claimed' in the ledger. The next
 * cycle (after a restart) asks the platform whether the message with this digest's id arrived
 * (`Adapter.findDelivered`): if it did, the digest is recorded as sent with the papers the message
 * carried; if not, it is sent now. An adapter that cannot look (the terminal) records the digest
 * as failed ("interrupted") instead of sending it again: at most once wins over at least once.
 */
import { DeliveryError, DELIVERY_UNKNOWN, type Adapter, type CoreDeps, type DeliveryFailure, type Destination, type Reply } from '../core/index.ts';
import { buildDigest, digestReply, type DigestCache } from '../core/digests/index.ts';
import { digestId } from './digest-id.ts';
import { failureOf, isUncertain, withRetry, type RetryPolicy, type Sleep } from './retry.ts';
import { withTimeout } from './timeout.ts';

type Base = { key: string; day: string };
export type DestinationOutcome =
  | (Base & { status: 'sent'; papers: number })
  | (Base & { status: 'empty' })
  /** Found already posted after a crash, and recorded as sent. */
  | (Base & { status: 'reconciled'; papers: number })
  | (Base & { status: 'already-claimed' })
  /** A send of this digest is still running in this process (it outlived its time limit). */
  | (Base & { status: 'in-flight' })
  /** Due while the bot was down, beyond the catch-up window: skipped and recorded. */
  | (Base & { status: 'missed' })
  | (Base & { status: 'failed'; failure: DeliveryFailure; retry: boolean });

export interface DeliveryOptions {
  retry: RetryPolicy;
  /** Longest one send may take before its outcome counts as uncertain. */
  attemptTimeoutMs: number;
  sleep: Sleep;
  random: () => number;
  /** `key|day` of sends still running in this process; their claims are not reconciled. */
  inFlight: Set<string>;
  /** Digest work shared by the destinations of one cycle (the fan-out makes one per cycle). */
  digestCache?: DigestCache;
}

type Deps = Pick<CoreDeps, 'store' | 'clock' | 'logger'> & Partial<Pick<CoreDeps, 'index'>>;

async function recordRun(deps: Deps, dest: Destination, day: string, at: string, papers: number): Promise<void> {
  await deps.store.updateState(dest.key, { lastRunAt: at, lastRunPapers: papers, lastDigestDay: day, lastFailure: undefined, failures: 0 });
}

async function recordFailure(deps: Deps, dest: Destination, failure: DeliveryFailure, closeDay?: string): Promise<void> {
  await deps.store.updateState(dest.key, {
    lastFailure: failure,
    failures: (dest.state.failures ?? 0) + 1,
    ...(closeDay ? { lastDigestDay: closeDay } : {}),
  });
}

/**
 * A claim nobody in this process is working on: find out whether its message went out. Returns
 * an outcome, or 'send' when the digest is known not to have arrived (the claim is ours to use).
 */
export async function reconcile(deps: Deps, adapter: Adapter | undefined, dest: Destination, day: string, at: string): Promise<DestinationOutcome | 'send'> {
  const { key } = dest;
  const interrupted = async (why = ''): Promise<DestinationOutcome> => {
    const failure: DeliveryFailure = {
      at,
      code: 'interrupted',
      message: `Paperboy stopped while sending the digest of ${day}; it may not have arrived and is not sent again, so that it is never sent twice.${why}`,
      permanent: false,
    };
    await deps.store.finishDigest(key, day, 'failed', [], at);
    await deps.store.updateState(key, { lastFailure: failure, lastDigestDay: day });
    return { key, day, status: 'failed', failure, retry: false };
  };
  if (!adapter?.findDelivered) return interrupted();
  let found: { paperIds: string[] } | undefined;
  try {
    found = await adapter.findDelivered(dest, digestId(key, day));
  } catch (e) {
    // The platform cannot say (e.g. no permission to read the history): as if it could not look.
    if (e instanceof DeliveryError && e.reason === DELIVERY_UNKNOWN) return interrupted(` (${e.message})`);
    const failure = failureOf(e, at);
    deps.logger.warn({ destination: key, day, code: failure.code, err: failure.message }, 'could not check whether an interrupted digest arrived');
    if (failure.permanent) {
      await deps.store.finishDigest(key, day, 'failed', [], at);
      await recordFailure(deps, dest, failure, day);
      return { key, day, status: 'failed', failure, retry: false };
    }
    // The claim stays: the next cycle asks again.
    await recordFailure(deps, dest, failure);
    return { key, day, status: 'failed', failure, retry: true };
  }
  if (!found) return 'send';
  await deps.store.finishDigest(key, day, 'sent', found.paperIds, at);
  await recordRun(deps, dest, day, at, found.paperIds.length);
  deps.logger.info({ destination: key, day, papers: found.paperIds.length }, 'interrupted digest had arrived; recorded as sent');
  return { key, day, status: 'reconciled', papers: found.paperIds.length };
}

/** Takes the ledger claim, or says why not (an outcome), or 'send' after reconciling an open claim. */
async function acquire(deps: Deps, adapter: Adapter, dest: Destination, day: string, at: string): Promise<DestinationOutcome | 'send'> {
  const { key } = dest;
  if (await deps.store.claimDigest(key, day, at)) return 'send';
  const status = await deps.store.digestStatus(key, day);
  if (status === undefined) return (await deps.store.claimDigest(key, day, at)) ? 'send' : { key, day, status: 'already-claimed' };
  if (status !== 'claimed') {
    // Finished before a crash could note it on the destination: note it now, so it is not due again.
    if ((dest.state.lastDigestDay ?? '') < day) await deps.store.updateState(key, { lastDigestDay: day });
    return { key, day, status: 'already-claimed' };
  }
  return reconcile(deps, adapter, dest, day, at);
}

/** Sends once, bounded by the time limit; a send that outlives it is still tracked and recorded. */
function attempt(deps: Deps, adapter: Adapter, dest: Destination, day: string, message: Reply, paperIds: string[], at: string, opts: DeliveryOptions): Promise<void> {
  const flight = `${dest.key}|${day}`;
  const sending = adapter.deliver(dest, message);
  opts.inFlight.add(flight);
  let timedOut = false;
  // Attached before the time limit's own handlers, so a settled send leaves inFlight before a retry
  // adds it again; a late one leaves only once its result is recorded.
  const settle = async (record: () => Promise<void>): Promise<void> => {
    if (!timedOut) return void opts.inFlight.delete(flight);
    try {
      await record();
    } finally {
      opts.inFlight.delete(flight);
    }
  };
  void sending
    .then(
      () =>
        settle(async () => {
          await deps.store.finishDigest(dest.key, day, 'sent', paperIds, at);
          await recordRun(deps, dest, day, at, paperIds.length);
          deps.logger.info({ destination: dest.key, day }, 'a digest that timed out arrived after all; recorded as sent');
        }),
      // Known not sent after all: free the claim for the next cycle.
      () => settle(() => deps.store.releaseDigest(dest.key, day)),
    )
    .catch((e: unknown) => deps.logger.error({ destination: dest.key, day, err: String(e) }, 'recording a late digest result failed'));
  return withTimeout(sending, opts.attemptTimeoutMs, `Delivering to ${dest.key}`).catch((e: unknown) => {
    if (isUncertain(e)) timedOut = true;
    throw e;
  });
}

export async function runDigest(
  deps: Deps,
  adapter: Adapter,
  dest: Destination,
  day: string,
  now: Date,
  opts: DeliveryOptions,
): Promise<DestinationOutcome> {
  const { key } = dest;
  const at = now.toISOString();
  if (opts.inFlight.has(`${key}|${day}`)) return { key, day, status: 'in-flight' };
  const claim = await acquire(deps, adapter, dest, day, at);
  if (claim !== 'send') return claim;
  let paperIds: string[] = [];
  try {
    const digest = await buildDigest(dest, deps, { now, ...(opts.digestCache ? { cache: opts.digestCache } : {}) });
    paperIds = digest.hits.map((h) => h.paper.id);
    if (paperIds.length === 0 && !dest.settings.notifyEmpty) {
      // Weekends and quiet days are normal: nothing is posted, the day is done.
      await deps.store.finishDigest(key, day, 'sent', [], at);
      await recordRun(deps, dest, day, at, 0);
      return { key, day, status: 'empty' };
    }
    const message: Reply = { ...digestReply(digest), digest: { id: digestId(key, day), paperIds } };
    await withRetry(() => attempt(deps, adapter, dest, day, message, paperIds, at, opts), opts.retry, {
      sleep: opts.sleep,
      random: opts.random,
      onRetry: (r) => deps.logger.info({ destination: key, day, ...r }, 'retrying digest delivery'),
    });
    await deps.store.finishDigest(key, day, 'sent', paperIds, at);
    await recordRun(deps, dest, day, at, paperIds.length);
    return { key, day, status: 'sent', papers: paperIds.length };
  } catch (e) {
    const failure = failureOf(e, at);
    deps.logger.warn({ destination: key, day, code: failure.code, err: failure.message }, 'digest delivery failed');
    if (isUncertain(e)) {
      // Maybe sent: keep the claim; the late result or the next cycle's reconcile settles it.
      await recordFailure(deps, dest, failure);
      return { key, day, status: 'failed', failure, retry: true };
    }
    if (failure.permanent) {
      // Nothing reached the channel; the papers stay available for when it works again.
      await deps.store.finishDigest(key, day, 'failed', [], at);
      await recordFailure(deps, dest, failure, day);
      return { key, day, status: 'failed', failure, retry: false };
    }
    await deps.store.releaseDigest(key, day);
    await recordFailure(deps, dest, failure);
    return { key, day, status: 'failed', failure, retry: true };
  }
}
