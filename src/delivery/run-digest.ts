/**
 * One destination's scheduled digest: claim in the ledger, settle a claim left open (reconcile.ts),
 * build, send with bounded retries and a time limit, record.
 *
 * Only a send known not to have landed (outcome.ts) is tried again here; an unknown one keeps its
 * claim, and the next attempt reads the platform back before posting anything. A digest of several
 * messages records each part that landed, so a retry or a restart posts only the parts left.
 */
import { type Adapter, type CoreDeps, type DeliveryProgress, type Destination, type DigestInProgress, type Reply } from '../core/index.ts';
import { buildDigest, digestReply, layoutOf, type DigestCache } from '../core/digests/index.ts';
import { digestId } from './digest-id.ts';
import { classifySendFailure } from './outcome.ts';
import { allParts, papersOf, reconcile, recordFailure, recordRun, type DestinationOutcome, type Resume } from './reconcile.ts';
import { failureOf, withRetry, type RetryPolicy, type Sleep } from './retry.ts';
import { withTimeout } from './timeout.ts';

export { reconcile, type DestinationOutcome } from './reconcile.ts';

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

/** Takes the ledger claim, or says why not (an outcome), or what to send after settling an open claim. */
async function acquire(deps: Deps, adapter: Adapter, dest: Destination, day: string, at: string): Promise<DestinationOutcome | 'send' | Resume> {
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

type Recorder = DeliveryProgress & { done: Set<number>; parts(): number | undefined };

/** Records each part of a digest of several messages as it lands; a one-message digest records nothing here. */
function partsRecorder(deps: Deps, key: string, day: string, message: Reply, resumed: Resume | undefined): Recorder {
  const done = new Set(resumed?.done ?? []);
  let sending: DigestInProgress | undefined = resumed?.resume;
  let total = sending?.parts;
  return {
    done,
    parts: () => total,
    async begin(parts) {
      total = parts;
      if (sending || parts <= 1) return;
      // Before the first part goes out: a restart then knows there are several, and what they hold.
      sending = { day, parts, landed: [...done], message };
      await deps.store.updateState(key, { sending });
    },
    async landed(part) {
      done.add(part);
      if (!sending) return;
      sending = { ...sending, landed: [...done].sort((a, b) => a - b) };
      await deps.store.updateState(key, { sending });
    },
  };
}

/** Sends once, bounded by the time limit; a send that outlives it is still tracked and recorded. */
function attempt(deps: Deps, adapter: Adapter, dest: Destination, day: string, message: Reply, progress: DeliveryProgress, at: string, opts: DeliveryOptions): Promise<void> {
  const flight = `${dest.key}|${day}`;
  const paperIds = message.digest?.paperIds ?? [];
  const sending = adapter.deliver(dest, message, progress);
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
      (e: unknown) =>
        settle(async () => {
          // Known not sent, nothing of it landed: the claim is free for the next cycle. Otherwise it
          // stays, and the next cycle reads the platform back first.
          if (classifySendFailure(e) === 'not_sent' && progress.done.size === 0) await deps.store.releaseDigest(dest.key, day);
        }),
    )
    .catch((e: unknown) => deps.logger.error({ destination: dest.key, day, err: String(e) }, 'recording a late digest result failed'));
  return withTimeout(sending, opts.attemptTimeoutMs, `Delivering to ${dest.key}`).catch((e: unknown) => {
    if (classifySendFailure(e) === 'unknown') timedOut = true;
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
  if (claim !== 'send' && !('resume' in claim)) return claim;
  const resumed = claim === 'send' ? undefined : claim;
  let paperIds: string[] = papersOf(resumed?.resume);
  let progress: Recorder | undefined;
  try {
    let message: Reply;
    if (resumed) message = resumed.resume.message;
    else {
      const digest = await buildDigest(dest, deps, { now, ...(opts.digestCache ? { cache: opts.digestCache } : {}) });
      paperIds = digest.hits.map((h) => h.paper.id);
      if (paperIds.length === 0 && !dest.settings.notifyEmpty) {
        // Weekends and quiet days are normal: nothing is posted, the day is done.
        await deps.store.finishDigest(key, day, 'sent', [], at);
        await recordRun(deps, dest, day, at, 0);
        return { key, day, status: 'empty' };
      }
      message = { ...digestReply(digest, layoutOf(dest)), digest: { id: digestId(key, day), paperIds } };
    }
    const parts = partsRecorder(deps, key, day, message, resumed);
    progress = parts;
    for (let readBacks = 0; ; readBacks++) {
      try {
        await withRetry(() => attempt(deps, adapter, dest, day, message, parts, at, opts), opts.retry, {
          sleep: opts.sleep,
          random: opts.random,
          onRetry: (r) => deps.logger.info({ destination: key, day, ...r }, 'retrying digest delivery'),
        });
        break;
      } catch (e) {
        // A send still running past the time limit is settled by its own late answer, not read back.
        if (readBacks + 1 >= opts.retry.attempts || opts.inFlight.has(`${key}|${day}`) || classifySendFailure(e) !== 'unknown' || !adapter.findDelivered) throw e;
        await opts.sleep(opts.retry.readBackDelayMs);
        const found = await adapter.findDelivered(dest, message.digest!.id).catch(() => {
          throw e;
        });
        if (found) {
          for (const p of found.parts ?? allParts(parts.parts() ?? 1)) await parts.landed(p);
          if (parts.done.size >= (parts.parts() ?? 1)) {
            deps.logger.info({ destination: key, day, err: failureOf(e, at).message }, 'a digest post with no clear answer had arrived; recorded as sent');
            break;
          }
        }
        deps.logger.info({ destination: key, day, landed: [...parts.done] }, 'read back after an unknown outcome: not (all) there; posting what is missing');
      }
    }
    await deps.store.finishDigest(key, day, 'sent', paperIds, at);
    await recordRun(deps, dest, day, at, paperIds.length);
    return { key, day, status: 'sent', papers: paperIds.length };
  } catch (e) {
    const failure = failureOf(e, at);
    deps.logger.warn({ destination: key, day, code: failure.code, err: failure.message }, 'digest delivery failed');
    const landed = (progress?.done.size ?? 0) > 0;
    if (failure.permanent) {
      // The channel refuses (deleted, no permission): the day is over. Papers of parts that landed count as delivered.
      await deps.store.finishDigest(key, day, 'failed', landed ? paperIds : [], at);
      await recordFailure(deps, dest, failure, day);
      return { key, day, status: 'failed', failure, retry: false };
    }
    if (classifySendFailure(e) === 'unknown' || landed) {
      // Maybe sent, or sent in part: keep the claim; the late result or the next cycle's read-back settles it.
      await recordFailure(deps, dest, failure);
      return { key, day, status: 'failed', failure, retry: true };
    }
    await deps.store.releaseDigest(key, day);
    await recordFailure(deps, dest, failure);
    return { key, day, status: 'failed', failure, retry: true };
  }
}
