/**
 * The slow-platform tests' common ground: a real adapter (Slack WebClient or discord.js REST)
 * against its stand-in, which per request takes a message and answers late, resets, answers 502,
 * or refuses with 500; due destinations with real papers; cycles run on a fake clock until the
 * digest is settled; and a count of the copies of each part at the destination.
 */
import { expect } from 'vitest';
import { destinationKey, type Adapter, type CoreDeps, type Destination, type DestinationRef } from '../../src/core/index.ts';
import { digestId } from '../../src/delivery/index.ts';
import { runCycle, type CycleOptions } from '../../src/schedule/index.ts';
import { realPapers } from '../store/real-papers.ts';

/** Per-request faults both stand-ins play; the first three leave the outcome unknown to the bot. */
export const FAULTS = ['late', 'reset', 'bad_gateway', 'refused_500'] as const;
export type FaultKind = (typeof FAULTS)[number];

/** The client gives up after this long; a late answer comes well after it. */
export const CLIENT_TIMEOUT_MS = 300;
export const LATE_MS = 1_500;

/** Each fault as both stand-ins spell it (Slack's failNext, Discord's takeThen). */
export const FAULT_SHAPES = {
  late: { late: LATE_MS },
  reset: { reset: true },
  bad_gateway: { status: 502 },
  refused_500: { refuse: 500 },
} as const satisfies Record<FaultKind, object>;

export interface Rig {
  deps: CoreDeps;
  adapter: Adapter;
  clock: { now(): Date; set(iso: string): void };
  /** The message post after `skip` more posts meets `fault` (once). */
  inject(fault: FaultKind, skip?: number): void;
  /** The next message posts meet these faults in order (`ok`: answered normally). */
  plan(faults: (FaultKind | 'ok')[]): void;
  /** The next `n` history reads are refused with 500 (a read-back that cannot be done now). */
  refuseReads(n: number): void;
  /** Forgets every fault still waiting. */
  heal(): void;
  /** Copies at the destination of each part of the digest `id` (index = part). */
  copies(dest: Destination, id: string): number[];
  close(): Promise<void>;
}

export const NOW = '2026-06-23T09:05:00.000Z';
export const DAY = '2026-06-23';

/** Real papers of one fixture day, listed an hour before NOW, so a first digest holds them. */
export async function seedPapers(deps: CoreDeps): Promise<string[]> {
  const submitted = new Date(Date.parse(NOW) - 3_600_000).toISOString();
  const papers = realPapers(DAY).map((p) => ({ ...p, listedOn: DAY, submittedAt: submitted }));
  await deps.store.upsertPapers(papers);
  // A topic per paper: its title's longest word, so each digest holds many real papers.
  return papers.map((p) => p.title.split(/[^A-Za-z]+/).reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase());
}

/** A destination due at 09:00 UTC with `papers` shown at most (25 splits a Discord digest into three messages). */
export async function dueDestination(deps: CoreDeps, ref: DestinationRef, topics: string[], papers: number): Promise<Destination> {
  const key = destinationKey(ref);
  await deps.store.ensureDestination(ref, { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: true, maxPapers: papers });
  for (const t of new Set(topics.slice(0, 25))) await deps.store.addTopic(key, t, 25);
  return (await deps.store.getDestination(key))!;
}

/** Retries and read-backs wait on the rig's clock, so nothing sleeps but the stand-in's late answers. */
export function cycleOptions(rig: Pick<Rig, 'clock'>): Partial<CycleOptions> {
  return {
    sleep: async (ms) => rig.clock.set(new Date(rig.clock.now().getTime() + ms).toISOString()),
    random: () => 0.5,
    attemptTimeoutMs: 60_000,
    inFlight: new Set(),
  };
}

export interface Settled {
  cycles: number;
  outcomes: string[];
}

/** Runs cycles ten minutes apart (past any backoff) until the digest of DAY is settled in the ledger. */
export async function settle(rig: Rig, dest: Destination, opts: Partial<CycleOptions> = cycleOptions(rig), maxCycles = 8): Promise<Settled> {
  const outcomes: string[] = [];
  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    const report = await runCycle(rig.deps, [rig.adapter], rig.clock.now(), opts);
    for (const o of report.outcomes) if (o.key === dest.key) outcomes.push(o.status === 'failed' ? `failed:${o.failure.code}` : o.status);
    const status = await rig.deps.store.digestStatus(dest.key, DAY);
    if (status === 'sent' || status === 'failed') return { cycles: cycle, outcomes };
    rig.clock.set(new Date(rig.clock.now().getTime() + 10 * 60_000).toISOString());
  }
  throw new Error(`digest of ${dest.key} not settled after ${maxCycles} cycles: ${outcomes.join(', ')}`);
}

/** Exactly one copy of every part at the destination, recorded as sent with every paper it carried. */
export async function expectExactlyOnce(rig: Rig, dest: Destination, parts: number): Promise<void> {
  const id = digestId(dest.key, DAY);
  expect(rig.copies(dest, id), `copies per part at ${dest.key}`).toEqual(Array.from({ length: parts }, () => 1));
  expect(await rig.deps.store.digestStatus(dest.key, DAY)).toBe('sent');
  const fresh = (await rig.deps.store.getDestination(dest.key))!;
  expect(fresh.state.lastDigestDay).toBe(DAY);
  expect(fresh.state.sending).toBeUndefined();
  const shown = await shownPapers(rig, dest);
  expect(shown.length).toBeGreaterThan(0);
  expect((await rig.deps.store.deliveredPapers(dest.key, shown)).size).toBe(shown.length);
}

/** The papers of the digest as the platform shows them (read back through the adapter). */
async function shownPapers(rig: Rig, dest: Destination): Promise<string[]> {
  const found = await rig.adapter.findDelivered!(dest, digestId(dest.key, DAY));
  return found?.paperIds ?? [];
}
