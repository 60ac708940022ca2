/**
 * The Store contract, written once: every implementation (memory, JSON file, PostgreSQL) runs it.
 * It only uses the port, so it says nothing about how a store keeps its data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationRef, DestinationSettings, Paper } from '../../src/core/model/index.ts';
import type { Store } from '../../src/core/ports.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';
import { describeSavedContract } from './contract-saved.ts';
import { describeRevisionContract } from './contract-revisions.ts';

export interface StoreHandle {
  store: Store;
  /** Closes `store` and opens the same data again (persistent stores only). */
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

const defaults: DestinationSettings = {
  topics: [],
  time: '09:00',
  timezone: 'UTC',
  paused: false,
  weekdaysOnly: false,
  notifyEmpty: false,
  maxPapers: 10,
};

const channel = (id: string): DestinationRef => ({ platform: 'discord', kind: 'channel', id, workspace: 'g1' });
const user = (id: string): DestinationRef => ({ platform: 'slack', kind: 'user', id, workspace: 'T1' });
const ids = (ps: Paper[]) => ps.map((p) => p.id).sort();

export function describeStoreContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHandle;
    let store: Store;
    const day1 = realPapers(REAL_DAYS[0]);
    const day2 = realPapers(REAL_DAYS[1]);
    const day3 = realPapers(REAL_DAYS[2]);

    beforeEach(async () => {
      h = await makeStore();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe('papers', () => {
      it('starts empty', async () => {
        expect(await store.countPapers()).toBe(0);
        expect(await store.allPapers()).toEqual([]);
        expect(await store.getPaper(day1[0]!.id)).toBeUndefined();
        expect((await store.fetchedDays()).size).toBe(0);
      });

      it('stores real papers as given and counts them', async () => {
        expect(await store.upsertPapers(day1)).toEqual({ added: day1.length, updated: 0 });
        expect(await store.countPapers()).toBe(day1.length);
        expect(await store.getPaper(day1[0]!.id)).toEqual(day1[0]);
        expect(ids(await store.allPapers())).toEqual(ids(day1));
      });

      it('refreshes upvotes and stars of a known paper', async () => {
        await store.upsertPapers(day1);
        const p = day1[0]!;
        const fresher: Paper = { ...p, upvotes: p.upvotes + 7, githubStars: (p.githubStars ?? 0) + 100 };
        expect(await store.upsertPapers([fresher])).toEqual({ added: 0, updated: 1 });
        const got = await store.getPaper(p.id);
        expect(got?.upvotes).toBe(p.upvotes + 7);
        expect(got?.githubStars).toBe((p.githubStars ?? 0) + 100);
        expect(await store.countPapers()).toBe(day1.length);
      });

      it('keeps the earliest listedOn when a paper is listed again', async () => {
        const p = day1[0]!;
        await store.upsertPapers([p]);
        await store.upsertPapers([{ ...p, listedOn: '2026-07-01', upvotes: p.upvotes + 1 }]);
        let got = await store.getPaper(p.id);
        expect(got?.listedOn).toBe(p.listedOn);
        expect(got?.upvotes).toBe(p.upvotes + 1);
        // An earlier listing found later (a backfill) moves it back.
        await store.upsertPapers([{ ...p, listedOn: '2026-01-05' }]);
        got = await store.getPaper(p.id);
        expect(got?.listedOn).toBe('2026-01-05');
        expect(ids(await store.papersListedBetween('2026-01-05', '2026-01-05'))).toEqual([p.id]);
        expect(await store.papersListedBetween(p.listedOn, p.listedOn)).toEqual([]);
      });

      it('merges a paper repeated within one batch', async () => {
        const p = day1[0]!;
        const r = await store.upsertPapers([p, { ...p, upvotes: p.upvotes + 3, listedOn: '2026-12-01' }]);
        expect(r.added).toBe(1);
        const got = await store.getPaper(p.id);
        expect(got?.listedOn).toBe(p.listedOn);
        expect(got?.upvotes).toBe(p.upvotes + 3);
        expect(await store.countPapers()).toBe(1);
      });

      it('keeps one paper per id across sources: fields merged, found by either source day', async () => {
        const p = day1[0]!;
        const fromArxiv: Paper = {
          ...p, listedOn: '2026-01-02', sources: { arxiv: '2026-01-02' }, upvotes: 0, aiKeywords: [], categories: ['cs.CL', 'cs.AI'],
          arxiv: { version: 2, announceType: 'cross', announcedAt: '2026-01-02T05:00:00.000Z', comments: '9 pages' },
        };
        delete fromArxiv.aiSummary;
        await store.upsertPapers([fromArxiv]);
        expect(await store.upsertPapers([p])).toEqual({ added: 0, updated: 1 });
        const got = await store.getPaper(p.id);
        expect(got).toMatchObject({ listedOn: '2026-01-02', sources: { arxiv: '2026-01-02', hf: p.listedOn }, upvotes: p.upvotes, categories: ['cs.CL', 'cs.AI'], arxiv: { comments: '9 pages' } });
        expect(got?.aiSummary).toBe(p.aiSummary);
        expect(ids(await store.papersListedBetween('2026-01-02', '2026-01-02'))).toEqual([p.id]);
        expect(ids(await store.papersListedBetween(p.listedOn, p.listedOn))).toContain(p.id);
        // A replacement (lists nothing) only updates the version.
        await store.upsertPapers([{ ...fromArxiv, sources: {}, arxiv: { version: 3, announceType: 'replace' } }]);
        expect(await store.getPaper(p.id)).toMatchObject({ sources: { arxiv: '2026-01-02', hf: p.listedOn }, upvotes: p.upvotes, arxiv: { version: 3, announceType: 'cross', comments: '9 pages' } });
        // The same copy again changes nothing.
        expect(await store.upsertPapers([p])).toEqual({ added: 0, updated: 0 });
      });

      it('lists papers between two days, both bounds inclusive', async () => {
        await store.upsertPapers([...day1, ...day2, ...day3]);
        expect(ids(await store.papersListedBetween(REAL_DAYS[0], REAL_DAYS[0]))).toEqual(ids(day1));
        expect(ids(await store.papersListedBetween(REAL_DAYS[0], REAL_DAYS[1]))).toEqual(ids([...day1, ...day2]));
        expect(ids(await store.papersListedBetween(REAL_DAYS[1], REAL_DAYS[2]))).toEqual(ids([...day2, ...day3]));
        expect(ids(await store.papersListedBetween('2026-06-01', '2026-12-31'))).toEqual(ids([...day1, ...day2, ...day3]));
        expect(await store.papersListedBetween('2026-06-27', '2026-06-30')).toEqual([]);
        expect(await store.papersListedBetween(REAL_DAYS[2], REAL_DAYS[0])).toEqual([]);
      });

      it('records fetched days, the latest mark winning', async () => {
        await store.markDayFetched('2026-06-22', '2026-06-22T10:00:00.000Z', 12);
        await store.markDayFetched('2026-06-23', '2026-06-23T10:00:00.000Z', 0);
        await store.markDayFetched('2026-06-22', '2026-06-24T08:00:00.000Z', 14);
        const days = await store.fetchedDays();
        expect(days.size).toBe(2);
        expect(days.get('2026-06-22')).toEqual({ at: '2026-06-24T08:00:00.000Z', count: 14 });
        expect(days.get('2026-06-23')).toEqual({ at: '2026-06-23T10:00:00.000Z', count: 0 });
      });
    });

    describe('destinations', () => {
      it('creates a destination once, with its defaults and key', async () => {
        expect(await store.getDestination('discord:channel:c1')).toBeUndefined();
        const d = await store.ensureDestination(channel('c1'), { ...defaults, topics: ['diffusion'] });
        expect(d).toMatchObject({ key: 'discord:channel:c1', platform: 'discord', kind: 'channel', id: 'c1', workspace: 'g1' });
        expect(d.settings).toEqual({ ...defaults, topics: ['diffusion'] });
        expect(d.state).toEqual({});
        expect(Number.isNaN(Date.parse(d.createdAt))).toBe(false);
        const again = await store.ensureDestination(channel('c1'), { ...defaults, time: '18:00', topics: [] });
        expect(again).toEqual(d);
        expect(await store.getDestination(d.key)).toEqual(d);
      });

      it('adds topics, deduplicated case-insensitively, up to the cap', async () => {
        const { key } = await store.ensureDestination(user('u1'), defaults);
        expect(await store.addTopic(key, 'Diffusion Models', 3)).toEqual({ added: true, topics: ['Diffusion Models'] });
        expect(await store.addTopic(key, 'diffusion models', 3)).toEqual({ added: false, topics: ['Diffusion Models'] });
        expect(await store.addTopic(key, 'DIFFUSION MODELS', 3)).toEqual({ added: false, topics: ['Diffusion Models'] });
        await store.addTopic(key, 'transformers', 3);
        expect((await store.addTopic(key, 'author:"Yann LeCun"', 3)).added).toBe(true);
        const capped = await store.addTopic(key, 'robotics', 3);
        expect(capped.added).toBe(false);
        expect(capped.topics).toEqual(['Diffusion Models', 'transformers', 'author:"Yann LeCun"']);
        expect((await store.getDestination(key))?.settings.topics).toEqual(capped.topics);
      });

      it('removes a topic case-insensitively and clears all', async () => {
        const { key } = await store.ensureDestination(user('u1'), defaults);
        for (const t of ['a b', 'LLM', 'rl']) await store.addTopic(key, t, 10);
        expect(await store.removeTopic(key, 'llm')).toEqual({ removed: true, topics: ['a b', 'rl'] });
        expect(await store.removeTopic(key, 'llm')).toEqual({ removed: false, topics: ['a b', 'rl'] });
        expect(await store.clearTopics(key)).toBe(2);
        expect(await store.clearTopics(key)).toBe(0);
        expect((await store.getDestination(key))?.settings.topics).toEqual([]);
      });

      it('patches settings without touching topics', async () => {
        const { key } = await store.ensureDestination(channel('c1'), defaults);
        await store.addTopic(key, 'agents', 10);
        const d = await store.updateSettings(key, { time: '07:30', timezone: 'Europe/Berlin', paused: true });
        expect(d.settings).toEqual({ ...defaults, topics: ['agents'], time: '07:30', timezone: 'Europe/Berlin', paused: true });
        expect((await store.getDestination(key))?.settings).toEqual(d.settings);
      });

      it('keeps a weekly cadence and a digest style, and null turns weekly back off', async () => {
        const { key } = await store.ensureDestination(channel('c1'), defaults);
        let d = await store.updateSettings(key, { weeklyOn: 1, weekdaysOnly: false, style: 'thread' });
        expect(d.settings).toMatchObject({ weeklyOn: 1, style: 'thread' });
        expect((await store.getDestination(key))?.settings).toMatchObject({ weeklyOn: 1, style: 'thread' });
        d = await store.updateSettings(key, { weeklyOn: null, style: 'compact' });
        expect((await store.getDestination(key))?.settings).toMatchObject({ weeklyOn: null, style: 'compact' });
      });

      it('merges state and clears a key patched to undefined', async () => {
        const { key } = await store.ensureDestination(channel('c1'), defaults);
        const failure = { at: '2026-06-22T09:00:00.000Z', code: 'platform_error', message: '500', permanent: false };
        await store.updateState(key, { lastRunAt: '2026-06-22T09:00:00.000Z', lastFailure: failure, failures: 1 });
        let d = await store.updateState(key, { lastDigestDay: '2026-06-22' });
        expect(d.state).toEqual({ lastRunAt: '2026-06-22T09:00:00.000Z', lastFailure: failure, failures: 1, lastDigestDay: '2026-06-22' });
        d = await store.updateState(key, { lastFailure: undefined, failures: 0 });
        expect(d.state).toEqual({ lastRunAt: '2026-06-22T09:00:00.000Z', failures: 0, lastDigestDay: '2026-06-22' });
        expect((await store.getDestination(key))?.state).toEqual(d.state);
      });

      it('keeps a digest in progress (its parts and message) in the state until it is cleared', async () => {
        const { key } = await store.ensureDestination(channel('c1'), defaults);
        const message = { ephemeral: false, blocks: [{ type: 'header' as const, text: 'Digest' }], digest: { id: 'pb1-2026-06-22-x', paperIds: ['2606.00001'] } };
        const sending = { day: '2026-06-22', parts: 3, landed: [0, 1], message };
        await store.updateState(key, { sending });
        expect((await store.getDestination(key))?.state.sending).toEqual(sending);
        const d = await store.updateState(key, { sending: undefined, lastDigestDay: '2026-06-22' });
        expect(d.state).toEqual({ lastDigestDay: '2026-06-22' });
      });

      it('re-enables a destination in permanent failure when its settings change', async () => {
        const { key } = await store.ensureDestination(channel('c1'), defaults);
        const failure = { at: '2026-06-22T09:00:00.000Z', code: 'channel_not_found', message: 'gone', permanent: true };
        await store.updateState(key, { lastFailure: failure, failures: 3, lastRunAt: '2026-06-21T09:00:00.000Z' });
        const d = await store.updateSettings(key, { time: '10:00' });
        expect(d.state.lastFailure).toBeUndefined();
        expect(d.state.failures ?? 0).toBe(0);
        expect(d.state.lastRunAt).toBe('2026-06-21T09:00:00.000Z');
        expect((await store.getDestination(key))?.state.lastFailure).toBeUndefined();
      });

      it('lists destinations, filtered by platform and kind', async () => {
        await store.ensureDestination(channel('c1'), defaults);
        await store.ensureDestination(channel('c2'), defaults);
        await store.ensureDestination(user('u1'), defaults);
        await store.ensureDestination({ platform: 'shell', kind: 'channel', id: 'terminal' }, defaults);
        const keys = async (f?: { platform?: string; kind?: string }) => (await store.listDestinations(f)).map((d) => d.key).sort();
        expect(await keys()).toEqual(['discord:channel:c1', 'discord:channel:c2', 'shell:channel:terminal', 'slack:user:u1']);
        expect(await keys({ platform: 'discord' })).toEqual(['discord:channel:c1', 'discord:channel:c2']);
        expect(await keys({ kind: 'channel' })).toEqual(['discord:channel:c1', 'discord:channel:c2', 'shell:channel:terminal']);
        expect(await keys({ platform: 'slack', kind: 'user' })).toEqual(['slack:user:u1']);
        expect(await keys({ platform: 'slack', kind: 'channel' })).toEqual([]);
      });

      it('hands out copies: changing a returned destination changes nothing stored', async () => {
        const d = await store.ensureDestination(user('u1'), defaults);
        await store.addTopic(d.key, 'rl', 10);
        const got = (await store.getDestination(d.key))!;
        got.settings.topics.push('sneaky');
        got.state.failures = 99;
        const listed = await store.listDestinations();
        listed[0]!.settings.topics.length = 0;
        expect((await store.getDestination(d.key))?.settings.topics).toEqual(['rl']);
        expect((await store.getDestination(d.key))?.state.failures).toBeUndefined();
      });

      it('answers an unknown destination with not_found', async () => {
        await expect(store.addTopic('discord:channel:nope', 'x', 10)).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.removeTopic('discord:channel:nope', 'x')).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.updateSettings('discord:channel:nope', { time: '10:00' })).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.updateState('discord:channel:nope', { failures: 1 })).rejects.toMatchObject({ code: 'not_found' });
      });
    });

    describe('delivery ledger', () => {
      const key = 'discord:channel:c1';

      it('claims a digest once per destination and day', async () => {
        expect(await store.digestStatus(key, '2026-06-22')).toBeUndefined();
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:00.000Z')).toBe(true);
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:05.000Z')).toBe(false);
        expect(await store.digestStatus(key, '2026-06-22')).toBe('claimed');
        expect(await store.claimDigest(key, '2026-06-23', '2026-06-23T09:00:00.000Z')).toBe(true);
        expect(await store.claimDigest('slack:channel:c1', '2026-06-22', '2026-06-22T09:00:00.000Z')).toBe(true);
      });

      it('records sent papers as delivered to that destination only', async () => {
        const paperIds = day1.slice(0, 3).map((p) => p.id);
        await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:00.000Z');
        expect((await store.deliveredPapers(key, paperIds)).size).toBe(0);
        await store.finishDigest(key, '2026-06-22', 'sent', paperIds, '2026-06-22T09:00:02.000Z');
        expect(await store.digestStatus(key, '2026-06-22')).toBe('sent');
        const asked = [...paperIds, day1[5]!.id, 'not-a-paper'];
        expect(await store.deliveredPapers(key, asked)).toEqual(new Set(paperIds));
        expect((await store.deliveredPapers('discord:channel:other', asked)).size).toBe(0);
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T10:00:00.000Z')).toBe(false);
        // Another day's digest adds to what was delivered.
        await store.claimDigest(key, '2026-06-23', '2026-06-23T09:00:00.000Z');
        await store.finishDigest(key, '2026-06-23', 'sent', [day1[5]!.id], '2026-06-23T09:00:01.000Z');
        expect(await store.deliveredPapers(key, asked)).toEqual(new Set([...paperIds, day1[5]!.id]));
      });

      it('records a failed digest, and a released claim can be claimed again', async () => {
        await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:00.000Z');
        await store.finishDigest(key, '2026-06-22', 'failed', [], '2026-06-22T09:00:01.000Z');
        expect(await store.digestStatus(key, '2026-06-22')).toBe('failed');
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:05:00.000Z')).toBe(false);
        await store.releaseDigest(key, '2026-06-22');
        expect(await store.digestStatus(key, '2026-06-22')).toBeUndefined();
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:10:00.000Z')).toBe(true);
        await store.releaseDigest(key, '2026-06-22');
        expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:15:00.000Z')).toBe(true);
      });

      it('counts papers named on a failed digest as delivered (they may have gone out in part)', async () => {
        await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:00.000Z');
        await store.finishDigest(key, '2026-06-22', 'failed', [day1[0]!.id], '2026-06-22T09:00:01.000Z');
        expect(await store.deliveredPapers(key, [day1[0]!.id, day1[1]!.id])).toEqual(new Set([day1[0]!.id]));
      });

      it('answers an empty question with an empty set', async () => {
        expect((await store.deliveredPapers(key, [])).size).toBe(0);
      });
    });

    describe('concurrency', () => {
      it('loses none of 100 parallel topic adds on one destination', async () => {
        const { key } = await store.ensureDestination(user('u1'), defaults);
        const topics = Array.from({ length: 100 }, (_, i) => `topic ${i}`);
        const results = await Promise.all(topics.map((t) => store.addTopic(key, t, 1000)));
        expect(results.every((r) => r.added)).toBe(true);
        expect([...(await store.getDestination(key))!.settings.topics].sort()).toEqual([...topics].sort());
      });

      it('loses none of 100 parallel topic adds on 100 destinations', async () => {
        const dests = await Promise.all(Array.from({ length: 100 }, (_, i) => store.ensureDestination(user(`u${i}`), defaults)));
        await Promise.all(dests.flatMap((d, i) => [store.addTopic(d.key, `mine ${i}`, 10), store.addTopic(d.key, 'common', 10)]));
        for (const [i, d] of dests.entries()) {
          expect((await store.getDestination(d.key))?.settings.topics.sort()).toEqual([`mine ${i}`, 'common'].sort());
        }
        expect((await store.listDestinations({ platform: 'slack' })).length).toBe(100);
      });

      it('never goes past the cap under parallel adds', async () => {
        const { key } = await store.ensureDestination(user('u1'), defaults);
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.addTopic(key, `t${i}`, 10)));
        expect(results.filter((r) => r.added).length).toBe(10);
        expect((await store.getDestination(key))?.settings.topics.length).toBe(10);
      });

      it('creates a destination once when asked in parallel', async () => {
        const all = await Promise.all(Array.from({ length: 20 }, () => store.ensureDestination(channel('c9'), defaults)));
        expect(new Set(all.map((d) => d.createdAt)).size).toBe(1);
        expect((await store.listDestinations()).length).toBe(1);
      });

      it('lets exactly one of 20 parallel claimers win a digest', async () => {
        const wins = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.claimDigest('discord:channel:c1', '2026-06-22', `2026-06-22T09:00:${String(i).padStart(2, '0')}.000Z`)),
        );
        expect(wins.filter(Boolean).length).toBe(1);
        expect(await store.digestStatus('discord:channel:c1', '2026-06-22')).toBe('claimed');
      });

      it('keeps parallel paper upserts and topic changes apart', async () => {
        const { key } = await store.ensureDestination(user('u1'), defaults);
        await Promise.all([
          store.upsertPapers(day1),
          store.upsertPapers(day2),
          ...Array.from({ length: 30 }, (_, i) => store.addTopic(key, `t${i}`, 100)),
          store.markDayFetched(REAL_DAYS[0], '2026-06-22T10:00:00.000Z', day1.length),
        ]);
        expect(await store.countPapers()).toBe(day1.length + day2.length);
        expect((await store.getDestination(key))?.settings.topics.length).toBe(30);
      });
    });

    describe('persistence', () => {
      it('keeps everything across a close and reopen', async () => {
        if (!h.reopen) return; // a memory store has nothing to reopen
        await store.upsertPapers([...day1, ...day2]);
        await store.markDayFetched(REAL_DAYS[0], '2026-06-22T10:00:00.000Z', day1.length);
        const d = await store.ensureDestination(channel('c1'), { ...defaults, topics: ['agents'] });
        await store.addTopic(d.key, 'Vision Transformers', 10);
        await store.updateSettings(d.key, { timezone: 'Asia/Tokyo', weeklyOn: 5, style: 'thread' });
        await store.updateState(d.key, { lastDigestDay: '2026-06-22', failures: 0 });
        await store.claimDigest(d.key, '2026-06-22', '2026-06-22T09:00:00.000Z');
        await store.finishDigest(d.key, '2026-06-22', 'sent', [day1[0]!.id], '2026-06-22T09:00:01.000Z');
        await store.claimDigest(d.key, '2026-06-23', '2026-06-23T09:00:00.000Z');
        const before = {
          papers: await store.allPapers(),
          dest: await store.getDestination(d.key),
          days: await store.fetchedDays(),
        };

        store = await h.reopen();
        expect(await store.countPapers()).toBe(day1.length + day2.length);
        expect(ids(await store.allPapers())).toEqual(ids(before.papers));
        expect(await store.getPaper(day2[1]!.id)).toEqual(day2[1]);
        expect(await store.getDestination(d.key)).toEqual(before.dest);
        expect(await store.fetchedDays()).toEqual(before.days);
        expect(await store.digestStatus(d.key, '2026-06-22')).toBe('sent');
        expect(await store.digestStatus(d.key, '2026-06-23')).toBe('claimed');
        expect(await store.claimDigest(d.key, '2026-06-23', '2026-06-23T10:00:00.000Z')).toBe(false);
        expect(await store.deliveredPapers(d.key, [day1[0]!.id, day1[1]!.id])).toEqual(new Set([day1[0]!.id]));
      });
    });

    const current = () => ({
      get store() {
        return store;
      },
      // Reopening replaces the store the afterEach cleanup closes.
      ...(h.reopen ? { reopen: async () => (store = await h.reopen!()) } : {}),
    });
    describeSavedContract(current);
    describeRevisionContract(current);
  });
}
