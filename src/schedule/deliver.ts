/** One destination's scheduled digest: claim, build, deliver, record. */
import { DeliveryError, isPaperboyError, type Adapter, type CoreDeps, type Destination, type DeliveryFailure } from '../core/index.ts';
import { buildDigest, digestReply } from '../core/digests/index.ts';

export type DestinationOutcome =
  | { key: string; day: string; status: 'sent'; papers: number }
  | { key: string; day: string; status: 'empty' }
  | { key: string; day: string; status: 'already-claimed' }
  | { key: string; day: string; status: 'failed'; failure: DeliveryFailure; retry: boolean };

function failureOf(e: unknown, at: string): DeliveryFailure {
  if (e instanceof DeliveryError) return { at, code: e.reason, message: e.message, permanent: e.permanent };
  if (isPaperboyError(e)) return { at, code: e.code, message: e.message, permanent: false };
  return { at, code: 'internal', message: e instanceof Error ? e.message : String(e), permanent: false };
}

/**
 * Runs the digest of `dest` for local `day`. The ledger claim comes first, so a digest is never
 * sent twice; a transient failure releases the claim for a later cycle, a permanent one keeps it.
 */
export async function deliverDigest(
  deps: CoreDeps,
  adapter: Adapter,
  dest: Destination,
  day: string,
  now: Date,
): Promise<DestinationOutcome> {
  const at = now.toISOString();
  if (!(await deps.store.claimDigest(dest.key, day, at))) return { key: dest.key, day, status: 'already-claimed' };
  let paperIds: string[] = [];
  try {
    const digest = await buildDigest(dest, deps, { now });
    paperIds = digest.hits.map((h) => h.paper.id);
    if (digest.hits.length === 0 && !dest.settings.notifyEmpty) {
      await deps.store.finishDigest(dest.key, day, 'sent', [], at);
      await recordRun(deps, dest, day, at, 0);
      return { key: dest.key, day, status: 'empty' };
    }
    await adapter.deliver(dest, digestReply(digest));
    await deps.store.finishDigest(dest.key, day, 'sent', paperIds, at);
    await recordRun(deps, dest, day, at, paperIds.length);
    return { key: dest.key, day, status: 'sent', papers: paperIds.length };
  } catch (e) {
    const failure = failureOf(e, at);
    deps.logger.warn({ destination: dest.key, day, code: failure.code, err: failure.message }, 'digest delivery failed');
    const retry = !failure.permanent;
    if (retry) await deps.store.releaseDigest(dest.key, day);
    else await deps.store.finishDigest(dest.key, day, 'failed', paperIds, at);
    await deps.store.updateState(dest.key, {
      lastFailure: failure,
      failures: (dest.state.failures ?? 0) + 1,
      // A permanent failure closes the day; a transient one leaves it due.
      ...(retry ? {} : { lastDigestDay: day }),
    });
    return { key: dest.key, day, status: 'failed', failure, retry };
  }
}

async function recordRun(deps: CoreDeps, dest: Destination, day: string, at: string, papers: number): Promise<void> {
  await deps.store.updateState(dest.key, { lastRunAt: at, lastRunPapers: papers, lastDigestDay: day, lastFailure: undefined, failures: 0 });
}

/**
 * Simple backoff until the hardening issue replaces it: after n consecutive failures wait
 * min(2^n, 60) minutes; a permanent failure waits until the settings change (lastFailure cleared).
 */
export function inBackoff(dest: Destination, now: Date): boolean {
  const f = dest.state.lastFailure;
  if (!f) return false;
  if (f.permanent) return false; // permanent failures already closed their day
  const waitMs = Math.min(2 ** (dest.state.failures ?? 1), 60) * 60_000;
  return now.getTime() - Date.parse(f.at) < waitMs;
}
