/** Focused checks of the PostgreSQL store on real corpus papers (the shared contract suite runs in postgres-store.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationSettings } from '../../src/core/model/destination.ts';
import { silentLogger, type Store } from '../../src/core/ports.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { corpusPapers, createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('postgres semantics'));
const suite = adminUrl ? describe : describe.skip;

const defaults: DestinationSettings = {
  topics: [],
  time: '09:00',
  timezone: 'UTC',
  paused: false,
  weekdaysOnly: false,
  notifyEmpty: false,
  maxPapers: 10,
};

suite('PostgreSQL store semantics', () => {
  let db: TestDatabase;
  let store: Store;
  const papers = corpusPapers(2500);

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    store = await openPostgresStore(db.url, { logger: silentLogger });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('stores real papers losslessly and counts inserts and refreshes', async () => {
    expect(await store.upsertPapers(papers)).toEqual({ added: papers.length, updated: 0 });
    expect(await store.countPapers()).toBe(papers.length);
    for (const p of [papers[0]!, papers[1234]!, papers.at(-1)!]) expect(await store.getPaper(p.id)).toEqual(p);
    expect(await store.getPaper('0000.00000')).toBeUndefined();
    // Unchanged copies are no update; changed upvotes are.
    expect(await store.upsertPapers(papers.slice(0, 10))).toEqual({ added: 0, updated: 0 });
    const bumped = papers.slice(0, 4).map((p) => ({ ...p, upvotes: p.upvotes + 1 }));
    expect(await store.upsertPapers([...bumped, papers[4]!])).toEqual({ added: 0, updated: 4 });
    expect(await store.getPaper(papers[0]!.id)).toEqual(bumped[0]);
  });

  it('refreshes upvotes and stars but keeps the earliest listing day', async () => {
    const p = papers[5]!;
    const later = { ...p, listedOn: '2030-01-01', upvotes: p.upvotes + 100, githubStars: 4242 };
    await store.upsertPapers([later]);
    expect(await store.getPaper(p.id)).toEqual({ ...later, listedOn: p.listedOn });
    const earlier = { ...p, listedOn: '2000-01-03', upvotes: 1 };
    await store.upsertPapers([earlier]);
    expect(await store.getPaper(p.id)).toEqual(earlier);
    // The same paper twice in one batch merges copy by copy (as the memory store does) instead of failing.
    const q = papers[6]!;
    expect(await store.upsertPapers([{ ...q, upvotes: 7 }, { ...q, listedOn: '2031-01-01', upvotes: 9 }])).toEqual({ added: 0, updated: 2 });
    expect(await store.getPaper(q.id)).toMatchObject({ listedOn: q.listedOn, upvotes: 9 });
  });

  it('selects papers by listing day, inclusive at both ends', async () => {
    const day = papers[100]!.listedOn;
    const expected = papers.filter((p) => p.listedOn === day && p.id !== papers[5]!.id).map((p) => p.id).sort();
    const got = await store.papersListedBetween(day, day);
    expect(got.map((p) => p.id).sort()).toEqual(expected);
    expect(await store.papersListedBetween('1990-01-01', '1990-12-31')).toEqual([]);
    expect((await store.allPapers()).length).toBe(papers.length);
  });

  it('records fetched days, replacing a re-fetch', async () => {
    await store.markDayFetched('2026-06-22', '2026-06-22T10:00:00.000Z', 9);
    await store.markDayFetched('2026-06-22', '2026-06-22T11:00:00.000Z', 10);
    expect((await store.fetchedDays()).get('2026-06-22')).toEqual({ at: '2026-06-22T11:00:00.000Z', count: 10 });
  });

  it('keeps topics in order, deduped case-insensitively, under a cap', async () => {
    const ref = { platform: 'discord', kind: 'user', id: 'u-topics' } as const;
    const d = await store.ensureDestination(ref, { ...defaults, topics: ['Diffusion'] });
    expect(d).toMatchObject({ key: 'discord:user:u-topics', settings: { topics: ['Diffusion'] } });
    expect(d).not.toHaveProperty('workspace');
    expect(await store.addTopic(d.key, 'diffusion', 3)).toEqual({ added: false, topics: ['Diffusion'] });
    expect(await store.addTopic(d.key, 'author:"Ling Yang"', 3)).toEqual({ added: true, topics: ['Diffusion', 'author:"Ling Yang"'] });
    expect(await store.addTopic(d.key, 'ÉCOLE robots', 3)).toMatchObject({ added: true });
    expect(await store.addTopic(d.key, 'one too many', 3)).toMatchObject({ added: false });
    expect(await store.removeTopic(d.key, 'école ROBOTS')).toEqual({ removed: true, topics: ['Diffusion', 'author:"Ling Yang"'] });
    expect(await store.removeTopic(d.key, 'absent')).toMatchObject({ removed: false });
    expect(await store.clearTopics(d.key)).toBe(2);
    expect((await store.getDestination(d.key))?.settings.topics).toEqual([]);
  });

  it('merges settings and state patches, and a settings change clears a permanent failure', async () => {
    const ref = { platform: 'slack', kind: 'channel', id: 'C1', workspace: 'T1' } as const;
    const d = await store.ensureDestination(ref, defaults);
    const failure = { at: '2026-06-22T09:00:00.000Z', code: 'channel_not_found', message: 'gone', permanent: true };
    await store.updateState(d.key, { lastFailure: failure, failures: 3, lastDigestDay: '2026-06-21' });
    const after = await store.updateSettings(d.key, { time: '07:30', timezone: 'Europe/Berlin' });
    expect(after.settings).toEqual({ ...defaults, time: '07:30', timezone: 'Europe/Berlin' });
    expect(after.state.lastFailure).toBeUndefined();
    expect(after.state.lastDigestDay).toBe('2026-06-21');
    expect(await store.getDestination(d.key)).toEqual(after);
    const cleared = await store.updateState(d.key, { lastDigestDay: undefined });
    expect(cleared.state).not.toHaveProperty('lastDigestDay');
    await expect(store.updateState('slack:channel:nope', {})).rejects.toMatchObject({ code: 'not_found' });
    expect(await store.listDestinations({ platform: 'slack' })).toEqual([await store.getDestination(d.key)]);
    expect((await store.listDestinations({ kind: 'user' })).map((x) => x.key)).toEqual(['discord:user:u-topics']);
  });

  it('claims a digest once, records its papers as delivered, and can release a claim', async () => {
    const key = 'discord:channel:ledger';
    expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:00Z')).toBe(true);
    expect(await store.claimDigest(key, '2026-06-22', '2026-06-22T09:00:01Z')).toBe(false);
    expect(await store.digestStatus(key, '2026-06-22')).toBe('claimed');
    await store.finishDigest(key, '2026-06-22', 'sent', [papers[0]!.id, papers[1]!.id], '2026-06-22T09:00:05Z');
    expect(await store.digestStatus(key, '2026-06-22')).toBe('sent');
    expect(await store.deliveredPapers(key, [papers[0]!.id, papers[2]!.id])).toEqual(new Set([papers[0]!.id]));
    expect(await store.deliveredPapers('discord:channel:other', [papers[0]!.id])).toEqual(new Set());
    expect(await store.claimDigest(key, '2026-06-23', '2026-06-23T09:00:00Z')).toBe(true);
    await store.releaseDigest(key, '2026-06-23');
    expect(await store.digestStatus(key, '2026-06-23')).toBeUndefined();
    expect(await store.claimDigest(key, '2026-06-23', '2026-06-23T09:05:00Z')).toBe(true);
    expect(await store.exportLedger!()).toEqual([
      { key, day: '2026-06-22', status: 'sent', claimedAt: '2026-06-22T09:00:00Z', finishedAt: '2026-06-22T09:00:05Z', paperIds: [papers[0]!.id, papers[1]!.id] },
      { key, day: '2026-06-23', status: 'claimed', claimedAt: '2026-06-23T09:05:00Z', paperIds: [] },
    ]);
  });

  it('answers bad input with a clear usage error and stores nothing of the batch', async () => {
    const broken = { ...papers[0]!, id: 'x-bad', upvotes: Number.NaN };
    await expect(store.upsertPapers([papers[9]!, broken])).rejects.toMatchObject({ code: 'usage', message: 'Paper x-bad has no valid upvotes count.' });
    await expect(store.upsertPapers([{ ...papers[0]!, id: 'x-bad2', listedOn: 'yesterday' }])).rejects.toMatchObject({ code: 'usage' });
    expect(await store.getPaper('x-bad')).toBeUndefined();
    await expect(store.papersListedBetween('2026-1-1', '2026-12-31')).rejects.toMatchObject({ code: 'usage' });
    await expect(store.claimDigest('k', 'today', 'now')).rejects.toMatchObject({ code: 'usage' });
    const d = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'me' }, defaults);
    await expect(store.addTopic(d.key, '   ', 5)).rejects.toMatchObject({ code: 'usage', message: 'A topic cannot be empty.' });
    await expect(store.ensureDestination({ platform: 'irc' as 'shell', kind: 'user', id: 'x' }, defaults)).rejects.toMatchObject({ code: 'usage' });
  });

  it('keeps a NUL character in paper text from failing the batch', async () => {
    const p = { ...papers[10]!, id: 'nul.00001', abstract: 'before\u0000after' };
    expect(await store.upsertPapers([p])).toEqual({ added: 1, updated: 0 });
    expect((await store.getPaper(p.id))?.abstract).toBe('beforeafter');
  });

  it('says plainly that a closed store is closed', async () => {
    const other = await openPostgresStore(db.url, { logger: silentLogger });
    await other.close();
    await expect(other.countPapers()).rejects.toMatchObject({ code: 'store', message: 'The store is closed.' });
  });
});
