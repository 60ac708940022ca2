/**
 * The JSON store's persister (journal, coalesced appends, rotation into segments, background
 * snapshots) judged by what comes back: generated bursts of parallel commands, with compactions and
 * reopenings in between and a tiny compaction threshold, must reopen to exactly what a memory store
 * given the same commands holds. Tested through openJsonStore so it survives changes inside.
 */
import { cp, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type Store } from '../../../src/core/ports.ts';
import { createMemoryStore, openJsonStore, storeFiles, type JsonStore } from '../../../src/store/index.ts';
import { realPapers } from '../real-papers.ts';
import { tempDir } from '../temp-dir.ts';

const settings = { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };
const clock = { now: () => new Date('2026-06-24T09:00:00Z') };
const template = realPapers('2026-06-22')[0]!;
const USERS = ['U1', 'U2', 'U3'];

type Op =
  | { k: 'paper'; n: number; upvotes: number; title: string }
  | { k: 'day'; n: number; count: number }
  | { k: 'topic'; user: number; topic: string }
  | { k: 'untopic'; user: number; topic: string }
  | { k: 'state'; user: number; value: number }
  | { k: 'claim'; user: number; day: number }
  | { k: 'finish'; user: number; day: number; ids: number[] }
  | { k: 'save'; user: number; paper: number };

const text = fc.oneof(fc.constantFrom('agents', 'Diffusion "models"', 'é\u0301', '\u2028line', 'a\\b', '{"json":1}', 'x'.repeat(300)), fc.string({ maxLength: 20 }));
const user = fc.nat(USERS.length - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('paper' as const), n: fc.nat(30), upvotes: fc.nat(1000), title: text }),
  fc.record({ k: fc.constant('day' as const), n: fc.nat(20), count: fc.nat(500) }),
  fc.record({ k: fc.constant('topic' as const), user, topic: text }),
  fc.record({ k: fc.constant('untopic' as const), user, topic: text }),
  fc.record({ k: fc.constant('state' as const), user, value: fc.nat(100) }),
  fc.record({ k: fc.constant('claim' as const), user, day: fc.nat(10) }),
  fc.record({ k: fc.constant('finish' as const), user, day: fc.nat(10), ids: fc.array(fc.nat(30), { maxLength: 4 }) }),
  fc.record({ k: fc.constant('save' as const), user, paper: fc.nat(30) }),
);
/** Bursts of commands run in parallel; after each, maybe a compaction or a close and reopen. */
const script = fc.array(fc.tuple(fc.array(op, { minLength: 1, maxLength: 25 }), fc.constantFrom('none', 'none', 'compact', 'reopen')), { minLength: 1, maxLength: 8 });

const dayOf = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const keyOf = (u: number) => `shell:user:${USERS[u]}`;

/** Runs one op; a refusal (no such topic, digest not claimed) is part of the answer, not an error. */
async function run(store: Store, o: Op): Promise<unknown> {
  try {
    switch (o.k) {
      case 'paper':
        return await store.upsertPapers([{ ...template, id: `p.${o.n}`, title: o.title || 'untitled', upvotes: o.upvotes }]);
      case 'day':
        return await store.markDayFetched(dayOf(o.n), '2026-06-24T09:00:00.000Z', o.count);
      case 'topic':
        return await store.addTopic(keyOf(o.user), o.topic, 50);
      case 'untopic':
        return await store.removeTopic(keyOf(o.user), o.topic);
      case 'state':
        return await store.updateState(keyOf(o.user), { lastRunPapers: o.value });
      case 'claim':
        return await store.claimDigest(keyOf(o.user), dayOf(o.day), '2026-06-24T09:00:00.000Z');
      case 'finish':
        return await store.finishDigest(keyOf(o.user), dayOf(o.day), 'sent', o.ids.map((i) => `p.${i}`), '2026-06-24T09:01:00.000Z');
      case 'save':
        return await store.savePaper(keyOf(o.user), `p.${o.paper}`, '2026-06-24T09:02:00.000Z', 100);
    }
  } catch (e) {
    return { refused: (e as Error).message };
  }
}

/** Everything a store holds, through its public methods. */
async function dump(store: Store) {
  if (!store.exportLedger || !store.exportSaved) throw new Error('a store without exportLedger/exportSaved');
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    papers: byId(await store.allPapers()),
    days: Object.fromEntries([...(await store.fetchedDays())].sort()),
    destinations: (await store.listDestinations()).sort((a, b) => (a.key < b.key ? -1 : 1)),
    ledger: (await store.exportLedger()).map((e) => JSON.stringify(e)).sort(),
    saved: (await store.exportSaved()).map((e) => JSON.stringify(e)).sort(),
  };
}

describe('JSON store persister', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('paperboy-persister-');
  });
  afterAll(() => tmp.remove());
  let n = 0;

  it('reopens to what a memory store holds after the same bursts, compactions and reopenings', { timeout: 120_000 }, async () => {
    const seen = { compactions: 0, segmentsLeft: 0, reopen: 0, crashChecks: 0 };
    await fc.assert(
      fc.asyncProperty(script, fc.boolean(), async (steps, small) => {
        const path = join(tmp.dir, `s${n++}`, 'paperboy.json');
        // small: 600 bytes, a rotation and a background snapshot every few commands while others
        // append. Otherwise none in the background, so the files can be read as a crash leaves
        // them after every burst (a copy opened beside: what a SIGKILL would leave).
        const open = () => openJsonStore(path, { logger: silentLogger, clock, compactAfterBytes: small ? 600 : 2 ** 40, paperCompactAfterBytes: small ? 1 : 2 ** 40 });
        const crashView = async () => {
          const copy = join(tmp.dir, `crash${n++}`);
          await cp(join(path, '..'), copy, { recursive: true, filter: (f) => !f.endsWith('.lock') });
          const reopened = await openJsonStore(join(copy, 'paperboy.json'), { logger: silentLogger, clock });
          try {
            return await dump(reopened);
          } finally {
            await reopened.close();
          }
        };
        const memory = createMemoryStore({ clock });
        let json: JsonStore = await open();
        try {
          for (const store of [memory, json]) for (const id of USERS) await store.ensureDestination({ platform: 'shell', kind: 'user', id }, settings);
          for (const [burst, after] of steps) {
            const want = await Promise.all(burst.map((o) => run(memory, o)));
            const got = await Promise.all(burst.map((o) => run(json, o)));
            expect(got).toEqual(want);
            if (!small) {
              expect(await crashView(), 'acknowledged changes on disk, without a clean close').toEqual(await dump(memory));
              seen.crashChecks++;
            }
            if (after === 'compact') await json.compact();
            if (after === 'reopen') {
              seen.compactions += json.stats().compactions;
              await json.close();
              json = await open();
              seen.reopen++;
            }
          }
          seen.compactions += json.stats().compactions;
          const names = await readdir(join(path, '..'));
          if (names.some((x) => /\.journal\.\d+$/.test(x))) seen.segmentsLeft++;
          expect(await dump(json)).toEqual(await dump(memory));
          await json.close();
          // What is on disk, read fresh, is the same; the journal is gone after a clean close.
          json = await open();
          expect(await dump(json)).toEqual(await dump(memory));
        } finally {
          await json.close();
          await memory.close();
        }
        expect((await readdir(join(path, '..'))).filter((x) => x.endsWith('.tmp'))).toEqual([]);
      }),
      { numRuns: 40 },
    );
    console.info(`[persister] ${JSON.stringify(seen)}`);
    // The interesting paths ran: snapshots written while appends went on, and reopenings.
    expect(seen.compactions).toBeGreaterThan(20);
    expect(seen.reopen).toBeGreaterThan(5);
    expect(seen.crashChecks).toBeGreaterThan(20);
  });

  it('close waits for writes still in flight; the journal is gone and the JSON file holds them', async () => {
    const path = join(tmp.dir, 'close', 'paperboy.json');
    const store = await openJsonStore(path, { logger: silentLogger, clock });
    const d = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'U1' }, settings);
    const pending = Array.from({ length: 100 }, (_, i) => store.addTopic(d.key, `t${i}`, 500));
    await store.close();
    await Promise.all(pending);
    const files = storeFiles(path);
    await expect(stat(files.journal)).rejects.toMatchObject({ code: 'ENOENT' });
    const saved = JSON.parse(await readFile(files.main, 'utf8')) as { destinations: Record<string, { settings: { topics: string[] } }> };
    expect(saved.destinations[d.key]!.settings.topics).toHaveLength(100);
    await expect(store.addTopic(d.key, 'late', 500)).rejects.toThrow('The store is closed.');
    await expect(store.compact()).rejects.toThrow(/closed/);
    expect(basename(files.main)).toBe('paperboy.json');
  });

  it('counts what it wrote: journal bytes match the file, a compaction resets them and sizes the snapshot', async () => {
    const path = join(tmp.dir, 'stats', 'paperboy.json');
    const files = storeFiles(path);
    const store = await openJsonStore(path, { logger: silentLogger, clock });
    try {
      const opened = store.stats().changes; // a new store journals its epoch
      const d = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'U1' }, settings);
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.addTopic(d.key, `t${i}`, 500)));
      const s = store.stats();
      expect(s.changes - opened).toBe(31);
      expect(s.appends).toBeLessThanOrEqual(s.changes);
      expect(s.journalBytes).toBe((await stat(files.journal)).size);
      await store.compact();
      const c = store.stats();
      expect(c.compactions).toBe(s.compactions + 1);
      expect(c.journalBytes).toBe(0);
      expect(c.snapshotBytes).toBe((await stat(files.main)).size);
    } finally {
      await store.close();
    }
  });
});
