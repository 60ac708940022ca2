/**
 * At most once when Discord is slow: every per-request fault, on a channel digest, a DM digest and
 * a digest split over three messages (25 papers; faults on its second and third part), through the
 * real discord.js REST client (its own retries off) against the stand-in. Each destination ends with
 * exactly one copy of every part, recorded as sent with its papers; parts that landed are never posted again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestId } from '../../src/delivery/index.ts';
import { DAY, dueDestination, expectExactlyOnce, FAULTS, seedPapers, settle } from './fault-rig.ts';
import { READER, SPLIT, startDiscordRig, TEXT, type DiscordRig } from './discord-rig.ts';

let rig: DiscordRig | undefined;
afterEach(async () => {
  expect(rig?.h.stand.invalid ?? []).toEqual([]);
  await rig?.close();
  rig = undefined;
});

const posts = (r: DiscordRig, channel: string | undefined) => r.h.stand.requests.filter((q) => q.method === 'POST' && q.path === `/channels/${channel}/messages`);

describe('Discord, one fault on a digest post', () => {
  for (const fault of FAULTS) {
    for (const kind of ['channel', 'user'] as const) {
      it(`${fault} on a ${kind === 'user' ? 'DM' : 'channel'} digest: exactly one copy, recorded as sent`, async () => {
        rig = await startDiscordRig();
        const topics = await seedPapers(rig.deps);
        const dest = await dueDestination(rig.deps, { platform: 'discord', kind, id: kind === 'user' ? READER : TEXT, ...(kind === 'channel' ? { workspace: rig.h.stand.state.guilds[0]!.id } : {}) }, topics, 5);
        rig.inject(fault);
        await settle(rig, dest);
        await expectExactlyOnce(rig, dest, 1);
        // Refused: posted again. Taken: read back and recorded, never posted a second time.
        expect(posts(rig, rig.channelOf(dest))).toHaveLength(fault === 'refused_500' ? 2 : 1);
      });
    }

    for (const part of [1, 2]) {
      it(`${fault} on part ${part + 1} of 3 of a split digest: parts before it are not posted again`, async () => {
        rig = await startDiscordRig();
        const topics = await seedPapers(rig.deps);
        const dest = await dueDestination(rig.deps, { platform: 'discord', kind: 'channel', id: SPLIT, workspace: rig.h.stand.state.guilds[0]!.id }, topics, 25);
        rig.inject(fault, part);
        await settle(rig, dest);
        await expectExactlyOnce(rig, dest, 3);
        // Every part posted once, plus the refused one again.
        expect(posts(rig, SPLIT)).toHaveLength(3 + (fault === 'refused_500' ? 1 : 0));
        const found = await rig.adapter.findDelivered!(dest, digestId(dest.key, DAY));
        expect(found?.parts).toEqual([0, 1, 2]);
        expect(found?.paperIds).toHaveLength(25);
      });
    }
  }

  it('a digest split over three messages whose third part fails in every cycle resumes there in each, never reposting parts 1 and 2', async () => {
    rig = await startDiscordRig();
    const topics = await seedPapers(rig.deps);
    const dest = await dueDestination(rig.deps, { platform: 'discord', kind: 'channel', id: SPLIT, workspace: rig.h.stand.state.guilds[0]!.id }, topics, 25);
    // Part 3 is refused three times (one cycle's tries), then taken and reset once, then works.
    rig.inject('refused_500', 2);
    rig.inject('refused_500');
    rig.inject('refused_500');
    rig.inject('reset');
    const settled = await settle(rig, dest);
    expect(settled.cycles).toBe(2);
    expect(settled.outcomes[0]).toBe('failed:platform_error');
    await expectExactlyOnce(rig, dest, 3);
    // The ledger kept its claim between the cycles: the landed parts were recorded, not released.
    expect(posts(rig, SPLIT)).toHaveLength(2 + 3 + 1);
  });
});
