/**
 * At most once when Slack is slow: for every per-request fault (taken and answered late, taken and
 * reset, taken and answered 502, refused with 500), on a channel digest and a DM digest, the
 * destination ends with exactly one copy, recorded as sent with its papers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestId } from '../../src/delivery/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { cycleOptions, DAY, dueDestination, expectExactlyOnce, FAULTS, seedPapers, settle } from './fault-rig.ts';
import { startSlackRig, type SlackRig } from './slack-rig.ts';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const posts = (r: SlackRig) => r.standIn.callsOf('chat.postMessage');
/** What the stand-in did with each post: refused before taking it, it is posted again at once; taken, it is read back, never posted again. */
const SEEN = { late: ['ok+late'], reset: ['ok+reset'], bad_gateway: ['ok+http_502'], refused_500: ['http_500', 'ok'] };

describe('Slack, one fault on the digest post', () => {
  for (const fault of FAULTS) {
    for (const kind of ['channel', 'user'] as const) {
      it(`${fault} on a ${kind === 'user' ? 'DM' : 'channel'} digest: exactly one copy, recorded as sent`, async () => {
        rig = await startSlackRig();
        const topics = await seedPapers(rig.deps);
        const dest = await dueDestination(rig.deps, { platform: 'slack', kind, id: kind === 'user' ? 'UREADER' : 'CPUBLIC', workspace: 'T0PAPER' }, topics, 10);
        rig.inject(fault);
        const settled = await settle(rig, dest);
        await expectExactlyOnce(rig, dest, 1);
        // Refused before taking it: posted again at once. Taken: read back, never posted again.
        expect(posts(rig).map((c) => c.outcome)).toEqual(SEEN[fault]);
        expect(settled.cycles).toBe(1);
      });
    }
  }

  it('a private channel whose history the token may not read (no groups:history) is interrupted, never failed for good or doubled', async () => {
    rig = await startSlackRig({ scopes: ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'im:history'] });
    const topics = await seedPapers(rig.deps);
    const dest = await dueDestination(rig.deps, { platform: 'slack', kind: 'channel', id: 'CPRIVATE', workspace: 'T0PAPER' }, topics, 10);
    rig.inject('late');
    const settled = await settle(rig, dest);
    expect(settled.outcomes.at(-1)).toBe('failed:interrupted');
    expect(rig.copies(dest, digestId(dest.key, DAY))).toEqual([1]);
    const after = (await rig.deps.store.getDestination(dest.key))!;
    expect(after.state.lastFailure).toMatchObject({ code: 'interrupted', permanent: false });
    expect(after.state.lastFailure?.message).toContain('groups:history');
    // The next day's digest goes out as usual.
    rig.clock.set('2026-06-24T09:05:00.000Z');
    const next = await runCycle(rig.deps, [rig.adapter], rig.clock.now(), cycleOptions(rig));
    expect(next.outcomes).toEqual([expect.objectContaining({ key: dest.key, day: '2026-06-24', status: 'sent' })]);
    expect(posts(rig).length).toBe(2);
  });
});
