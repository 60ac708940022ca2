/** Carries out a cycle's plans for many destinations at once, each isolated from the others. */
import type { Adapter, CoreDeps, DeliveryFailure, Destination, Platform } from '../core/index.ts';
import { DigestCache } from '../core/digests/index.ts';
import type { Plan } from './plan.ts';
import { runPool } from './pool.ts';
import { papersOf, reconcile } from './reconcile.ts';
import { runDigest, type DeliveryOptions, type DestinationOutcome } from './run-digest.ts';

export interface FanOutOptions extends DeliveryOptions {
  /** Destinations worked on at once (platform limits are kept by the adapters' own pacing). */
  concurrency: number;
  catchUpHours: number;
}

export interface FanOutReport {
  outcomes: DestinationOutcome[];
  /** Due destinations whose platform has no running adapter. */
  noAdapter: string[];
}

type Deps = Pick<CoreDeps, 'store' | 'clock' | 'logger'> & Partial<Pick<CoreDeps, 'index'>>;

/** Records each missed day in the ledger (as failed, with no papers) and on the destination. */
async function recordMissed(deps: Deps, adapter: Adapter | undefined, dest: Destination, days: string[], now: Date, catchUpHours: number): Promise<DestinationOutcome[]> {
  const at = now.toISOString();
  const out: DestinationOutcome[] = [];
  for (const day of days) {
    if (await deps.store.claimDigest(dest.key, day, at)) {
      await deps.store.finishDigest(dest.key, day, 'failed', [], at);
      out.push({ key: dest.key, day, status: 'missed' });
    } else if ((await deps.store.digestStatus(dest.key, day)) === 'claimed' && adapter) {
      // Interrupted by a crash and then down too long: settle what happened to that one.
      const r = await reconcile(deps, adapter, dest, day, at);
      if (r === 'send' || 'resume' in r) {
        // Too late to send (the rest of) it now; papers of parts that landed count as delivered.
        await deps.store.finishDigest(dest.key, day, 'failed', r === 'send' ? [] : papersOf(r.resume), at);
        await deps.store.updateState(dest.key, { sending: undefined });
        out.push({ key: dest.key, day, status: 'missed' });
      } else out.push(r);
    }
  }
  const newest = days[0]!;
  const missed = out.filter((o) => o.status === 'missed').map((o) => o.day);
  if (missed.length === 0) {
    // Every one of them had been settled already (sent, or failed with its own reason).
    await deps.store.updateState(dest.key, { lastDigestDay: newest });
    return out;
  }
  const s = dest.settings;
  const failure: DeliveryFailure = {
    at,
    code: 'missed',
    message: `${missed.length === 1 ? `The digest of ${missed[0]} was` : `${missed.length} digests (up to ${missed[0]}) were`} not sent: Paperboy was down past ${s.time} ${s.timezone} by more than the ${catchUpHours}-hour catch-up window.`,
    permanent: false,
  };
  deps.logger.warn({ destination: dest.key, days: missed }, 'digests missed: beyond the catch-up window');
  await deps.store.updateState(dest.key, { lastDigestDay: newest, lastFailure: failure });
  return out;
}

async function runPlan(deps: Deps, adapter: Adapter | undefined, plan: Plan, now: Date, opts: FanOutOptions): Promise<DestinationOutcome[]> {
  const { dest } = plan;
  if (plan.pausedThrough) {
    await deps.store.updateState(dest.key, { lastDigestDay: plan.pausedThrough });
    return [];
  }
  const out: DestinationOutcome[] = [];
  if (plan.missed.length > 0) out.push(...(await recordMissed(deps, adapter, dest, plan.missed, now, opts.catchUpHours)));
  if (plan.day && adapter) {
    const fresh = plan.missed.length > 0 ? ((await deps.store.getDestination(dest.key)) ?? dest) : dest;
    out.push(await runDigest(deps, adapter, fresh, plan.day, now, opts));
  }
  return out;
}

export async function fanOut(deps: Deps, adapters: Adapter[], plans: Plan[], now: Date, opts: FanOutOptions): Promise<FanOutReport> {
  const byPlatform = new Map<Platform, Adapter>(adapters.map((a) => [a.platform, a]));
  const report: FanOutReport = { outcomes: [], noAdapter: [] };
  // One per cycle: destinations sharing a window share its index and topic hits; papers stored later go to the next cycle.
  // A pg-boss batch hands in its own, shared by the destinations it works one by one.
  const runOpts: FanOutOptions = { ...opts, digestCache: opts.digestCache ?? new DigestCache() };
  const results = await runPool(plans, opts.concurrency, async (plan) => {
    const adapter = byPlatform.get(plan.dest.platform);
    if (!adapter && plan.day) report.noAdapter.push(plan.dest.key);
    try {
      return await runPlan(deps, adapter, plan, now, runOpts);
    } catch (e) {
      // The store itself failed for this one; the others still get their turn.
      deps.logger.error({ destination: plan.dest.key, err: e instanceof Error ? e.message : String(e) }, 'digest run failed');
      return [];
    }
  });
  for (const r of results) report.outcomes.push(...r);
  return report;
}
