import { beforeEach, describe, expect, it } from 'vitest';
import { buildDigest, digestReply, listedWithin } from '../../../src/core/digests/index.ts';
import { runAction } from '../../../src/core/commands/index.ts';
import { destinationKey, replyText, type Destination, type Paper } from '../../../src/core/model/index.ts';
import { paperMatches } from '../../../src/core/search/index.ts';
import { defaultCoreConfig } from '../../../src/core/commands/index.ts';
import { loadDay, makeDeps, type TestDeps } from '../commands/support.ts';

const TOPICS = ['agents', 'GUI', 'diffusion'];
const ref = { platform: 'shell', kind: 'channel', id: 'papers' } as const;
const key = destinationKey(ref);
const day24 = loadDay('2026-06-24');
const day25 = loadDay('2026-06-25');

/** The reference matcher's answer, independent of the index. */
function expectedIds(papers: Paper[], topics = TOPICS): string[] {
  return papers.filter((p) => topics.some((t) => paperMatches(t, p))).map((p) => p.id).sort();
}

let deps: TestDeps;

async function destination(maxPapers = 3): Promise<Destination> {
  await deps.store.ensureDestination(ref, { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers });
  for (const t of TOPICS) await deps.store.addTopic(key, t, 50);
  return (await deps.store.getDestination(key))!;
}

/** What the scheduler does after sending: the ledger and the state. */
async function recordSent(day: string, ids: string[], at: string): Promise<void> {
  expect(await deps.store.claimDigest(key, day, at)).toBe(true);
  await deps.store.finishDigest(key, day, 'sent', ids, at);
  await deps.store.updateState(key, { lastRunAt: at, lastRunPapers: ids.length, lastDigestDay: day });
}

beforeEach(async () => {
  deps = await makeDeps(['2026-06-23']);
});

describe('buildDigest on two consecutive real days', () => {
  it('takes the last 24 hours for a first digest, ranks by upvotes and caps with a count and a link', async () => {
    await deps.store.upsertPapers(day24);
    const digest = await buildDigest(await destination(3), deps, { now: new Date('2026-06-24T09:00:00Z') });
    const expected = expectedIds(day24);
    expect(expected.length).toBeGreaterThan(3);
    expect(digest.total).toBe(expected.length);
    expect(digest.hits).toHaveLength(3);
    expect(digest).toMatchObject({
      day: '2026-06-24',
      since: '2026-06-23T09:00:00.000Z',
      until: '2026-06-24T09:00:00.000Z',
      moreUrl: 'https://huggingface.co/papers?date=2026-06-24',
      destination: { key, platform: 'shell', kind: 'channel', id: 'papers' },
    });
    // Nothing from the 23rd: it was listed before the window.
    for (const h of digest.hits) expect(h.paper.listedOn).toBe('2026-06-24');
    const top = day24.filter((p) => expected.includes(p.id)).sort((a, b) => b.upvotes - a.upvotes).slice(0, 3);
    expect(digest.hits.map((h) => h.paper.upvotes)).toEqual(top.map((p) => p.upvotes));
    const r = digestReply(digest);
    expect(r.ephemeral).toBe(false);
    expect(r.blocks[0]).toEqual({ type: 'header', text: 'Daily papers · Wednesday, 24 June 2026' });
    expect(r.blocks.filter((b) => b.type === 'paper').map((b) => (b as { rank: number }).rank)).toEqual([1, 2, 3]);
    expect(r.blocks.at(-2)).toEqual({ type: 'more', count: expected.length - 3, url: 'https://huggingface.co/papers?date=2026-06-24' });
    const since = Date.parse('2026-06-23T09:00:00.000Z');
    const until = Date.parse('2026-06-24T09:00:00.000Z');
    expect(r.blocks.at(-1)).toEqual({ type: 'actions', buttons: [{ label: `Show all ${expected.length}`, action: { type: 'digest', key, since, until, page: 1 } }] });
    expect(replyText(r)).toContain(`${expected.length} new papers matching the topics, top 3 by upvotes.`);
    // The button opens every paper of the digest, privately, paged, ranked as the digest ranks them.
    const all = await runAction({ type: 'digest', key, since, until, page: 1 }, { platform: 'shell', user: { id: 'u', name: 'u' }, channel: null, canManageChannel: false } as never, deps);
    expect(all.ephemeral).toBe(true);
    expect(all.blocks[0]).toEqual({ type: 'header', text: `All ${expected.length} papers of this digest · page 1 of ${Math.ceil(expected.length / 10)}` });
    const shown = all.blocks.filter((b) => b.type === 'paper').map((b) => (b as { hit: { paper: { id: string } } }).hit.paper.id);
    expect(shown.slice(0, 3)).toEqual(digest.hits.map((h) => h.paper.id));
    expect(new Set(shown).size).toBe(Math.min(10, expected.length));
    for (const id of shown) expect(expected).toContain(id);
  });

  it('lists a paper matching several topics once, naming every topic in the destination’s order', async () => {
    await deps.store.upsertPapers(day24);
    const digest = await buildDigest(await destination(50), deps, { now: new Date('2026-06-24T09:00:00Z') });
    const ids = digest.hits.map((h) => h.paper.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(expectedIds(day24));
    const multi = digest.hits.filter((h) => h.matched.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const h of digest.hits) {
      // Each topic named once, with the form it matched when that is another one: `LLM (as "...")`.
      // (A hit carries the paper's card; the whole paper is the stored one.)
      const paper = day24.find((p) => p.id === h.paper.id)!;
      expect(h.matched.map((m) => m.replace(/ \(as ".*"\)$/, ''))).toEqual(TOPICS.filter((t) => paperMatches(t, paper, deps.index.lexicon)));
    }
    // Upvotes first, relevance breaks ties.
    for (let i = 1; i < digest.hits.length; i++) {
      const [a, b] = [digest.hits[i - 1]!, digest.hits[i]!];
      expect(a.paper.upvotes > b.paper.upvotes || (a.paper.upvotes === b.paper.upvotes && a.score >= b.score)).toBe(true);
    }
  });

  it('next day: only what is new since the last digest and never delivered, late same-day listings included', async () => {
    const matching24 = day24.filter((p) => expectedIds(day24).includes(p.id));
    const late = matching24.at(-1)!; // listed later on the 24th, after the first digest ran
    await deps.store.upsertPapers(day24.filter((p) => p.id !== late.id));
    const first = await buildDigest(await destination(3), deps, { now: new Date('2026-06-24T09:00:00Z') });
    expect(first.hits.map((h) => h.paper.id)).not.toContain(late.id);
    const sent = first.hits.map((h) => h.paper.id);
    await recordSent('2026-06-24', sent, '2026-06-24T09:00:00.000Z');

    await deps.store.upsertPapers([late, ...day25]);
    const dest = (await deps.store.getDestination(key))!;
    const second = await buildDigest({ ...dest, settings: { ...dest.settings, maxPapers: 100 } }, deps, { now: new Date('2026-06-25T09:00:00Z') });
    const ids = second.hits.map((h) => h.paper.id);
    expect(second.since).toBe('2026-06-24T09:00:00.000Z');
    for (const id of sent) expect(ids).not.toContain(id);
    expect(ids).toContain(late.id);
    for (const id of expectedIds(day25)) expect(ids).toContain(id);
    expect(ids.sort()).toEqual([...expectedIds(day25), ...expectedIds(day24).filter((id) => !sent.includes(id))].sort());
    expect(second.moreUrl).toBe('https://huggingface.co/papers?date=2026-06-25');

    // Once the 25th is sent too, nothing is left to send on the 25th.
    await recordSent('2026-06-25', ids, '2026-06-25T09:00:00.000Z');
    const third = await buildDigest((await deps.store.getDestination(key))!, deps, { now: new Date('2026-06-25T20:00:00Z') });
    expect(third.total).toBe(0);
    expect(replyText(digestReply(third))).toContain('No new papers matched the topics since the last digest.');
  });

  it('covers at most a week after a long pause', async () => {
    await deps.store.upsertPapers([...day24, ...day25]);
    await destination(100);
    await deps.store.updateState(key, { lastRunAt: '2026-03-01T09:00:00.000Z' });
    const digest = await buildDigest((await deps.store.getDestination(key))!, deps, { now: new Date('2026-06-30T09:00:00Z') });
    expect(digest.since).toBe('2026-06-23T09:00:00.000Z');
    expect(digest.hits.map((h) => h.paper.id).sort()).toEqual([...expectedIds(day24), ...expectedIds(day25)].sort());
  });

  it('dates the digest in the destination’s zone', async () => {
    await deps.store.upsertPapers(day24);
    const dest = await destination();
    const tokyo = { ...dest, settings: { ...dest.settings, timezone: 'Asia/Tokyo' } };
    const digest = await buildDigest(tokyo, deps, { now: new Date('2026-06-24T20:00:00Z') });
    expect(digest.day).toBe('2026-06-25');
    expect(digestReply(digest).blocks[0]).toEqual({ type: 'header', text: 'Daily papers · Thursday, 25 June 2026' });
  });

  it('holds nothing for a destination without topics', async () => {
    await deps.store.upsertPapers(day24);
    await deps.store.ensureDestination(ref, { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: defaultCoreConfig.maxPapersPerDigest });
    const digest = await buildDigest((await deps.store.getDestination(key))!, deps, { now: new Date('2026-06-24T09:00:00Z') });
    expect(digest).toMatchObject({ hits: [], total: 0 });
  });
});

describe('the listing window', () => {
  it('compares on the listing day when an old item has no submission time', async () => {
    const old = loadDay('2024-07-22');
    expect(old.every((p) => p.submittedAt === undefined)).toBe(true);
    const p = old[0]!;
    expect(listedWithin(p, new Date('2024-07-21T09:00:00Z'), new Date('2024-07-22T09:00:00Z'))).toBe(true);
    expect(listedWithin(p, new Date('2024-07-22T23:00:00Z'), new Date('2024-07-23T09:00:00Z'))).toBe(true);
    expect(listedWithin(p, new Date('2024-07-23T00:00:00Z'), new Date('2024-07-23T09:00:00Z'))).toBe(false);
    expect(listedWithin(p, new Date('2024-07-20T00:00:00Z'), new Date('2024-07-21T23:59:59Z'))).toBe(false);
  });

  it('compares on the submission time when there is one', () => {
    const p = day24[0]!;
    expect(p.submittedAt).toBe('2026-06-24T00:00:00.000Z');
    expect(listedWithin(p, new Date('2026-06-23T09:00:00Z'), new Date('2026-06-24T09:00:00Z'))).toBe(true);
    expect(listedWithin(p, new Date('2026-06-24T00:00:00Z'), new Date('2026-06-24T09:00:00Z'))).toBe(false);
    expect(listedWithin(p, new Date('2026-06-24T00:00:00Z'), new Date('2026-06-24T09:00:00Z'), '2026-06-24')).toBe(true);
    expect(listedWithin(p, new Date('2026-06-22T09:00:00Z'), new Date('2026-06-23T09:00:00Z'))).toBe(false);
  });
});
