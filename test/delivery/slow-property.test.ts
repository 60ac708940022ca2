/**
 * The at-most-once property over random fault sequences (fast-check): whatever run of late answers,
 * resets, 502s and refusals the platform plays on successive posts, on a channel, a DM or a digest
 * split over three messages, and with the process's memory of sends in flight lost between cycles
 * (a restart), and with history reads refused for a while, every destination ends with exactly one copy of every part, recorded as sent with
 * its papers. Real Slack and Discord clients against their stand-ins. PAPERBOY_SOAK=1 runs more.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/core/index.ts';
import { cycleOptions, dueDestination, expectExactlyOnce, FAULTS, seedPapers, settle, type FaultKind, type Rig } from './fault-rig.ts';
import { READER, startDiscordRig, textChannel, type DiscordRig } from './discord-rig.ts';
import { startSlackRig, type SlackRig } from './slack-rig.ts';

const RUNS = process.env.PAPERBOY_SOAK === '1' ? 100 : 12;
const CHANNELS = RUNS + 2;

let slack: SlackRig;
let discord: DiscordRig;
let topics: string[];
const tally = { runs: 0, faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<FaultKind, number>, restarts: 0, cycles: 0, parts: 0 };

beforeAll(async () => {
  slack = await startSlackRig({ channels: Array.from({ length: CHANNELS }, (_, i) => ({ id: `CPROP${i}` })), users: Array.from({ length: CHANNELS }, (_, i) => `UPROP${i}`) });
  discord = await startDiscordRig(CHANNELS);
  topics = await seedPapers(slack.deps);
  await seedPapers(discord.deps);
});
afterAll(async () => {
  // What the stand-ins actually did to posts (a planned fault after the digest settled is never met).
  const slackSeen = count(slack.standIn.callsOf('chat.postMessage').map((c) => c.outcome.replace(/^ok\+/, '')));
  const discordSeen = count(discord.h.stand.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).map((r) => String(r.status)));
  console.log(`slow-platform property: ${tally.runs} runs, faults planned ${JSON.stringify(tally.faults)}, ${tally.restarts} restarts, ${tally.cycles} cycles, ${tally.parts} parts each found exactly once; Slack posts by answer ${JSON.stringify(slackSeen)}; Discord posts by status (-1: no answer heard) ${JSON.stringify(discordSeen)}`);
  await slack?.close();
  await discord?.close();
});

function count(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

const scenario = fc.record({
  kind: fc.constantFrom('channel', 'user', 'split'),
  faults: fc.array(fc.constantFrom<FaultKind | 'ok'>(...FAULTS, 'ok'), { minLength: 1, maxLength: 10 }),
  restarts: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  /** History reads refused: the read-back must wait for a later cycle (or a restart). */
  refusedReads: fc.integer({ min: 0, max: 4 }),
});

async function runOne(rig: Rig, dest: Destination, parts: number, s: { faults: (FaultKind | 'ok')[]; restarts: boolean[]; refusedReads: number }): Promise<void> {
  rig.heal();
  rig.plan(s.faults);
  rig.refuseReads(s.refusedReads);
  for (const f of s.faults) if (f !== 'ok') tally.faults[f]++;
  let opts = cycleOptions(rig);
  let cycle = 0;
  // A restart between cycles: the new process knows nothing of sends in flight, only the store.
  const restartingSettle = async (): Promise<void> => {
    for (; cycle < 8; cycle++) {
      if (cycle > 0 && s.restarts[cycle]) (opts = cycleOptions(rig)), tally.restarts++;
      const done = await settle(rig, dest, opts, 1).then(() => true, () => false);
      tally.cycles++;
      if (done) return;
    }
    await settle(rig, dest, opts);
  };
  await restartingSettle();
  // Faults the run never met must not meet the checks' own read-back.
  rig.heal();
  await expectExactlyOnce(rig, dest, parts);
  tally.runs++;
  tally.parts += parts;
}

describe('random fault sequences: exactly one copy of every part', () => {
  it('on Slack (channel and DM digests)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const i = n++;
        const kind = s.kind === 'user' ? 'user' : 'channel';
        const dest = await dueDestination(slack.deps, { platform: 'slack', kind, id: kind === 'user' ? `UPROP${i}` : `CPROP${i}`, workspace: 'T0PAPER' }, topics, 10);
        await runOne(slack, dest, 1, s);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(n).toBe(RUNS);
  }, 600_000);

  it('on Discord (channel, DM and split digests)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const i = n++;
        const user = s.kind === 'user';
        const ref = user
          ? { platform: 'discord' as const, kind: 'user' as const, id: `${READER.slice(0, -2)}${String(i).padStart(2, '0')}` }
          : { platform: 'discord' as const, kind: 'channel' as const, id: textChannel(i), workspace: discord.h.stand.state.guilds[0]!.id };
        const split = s.kind === 'split';
        const dest = await dueDestination(discord.deps, ref, topics, split ? 25 : 5);
        const parts = await discord.partsOf(dest);
        expect(parts).toBe(split ? parts : 1);
        if (split) expect(parts).toBeGreaterThan(1);
        await runOne(discord, dest, parts, s);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(n).toBe(RUNS);
  }, 600_000);
});
