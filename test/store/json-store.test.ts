import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { openJsonStore, openStore, restoreJsonBackup, storeFiles } from '../../src/store/index.ts';
import { describeStoreContract } from './contract.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';
import { SCHEMA_VERSION } from '../../src/store/memory/schema.ts';
import { tempDir } from './temp-dir.ts';

const opts = { logger: silentLogger };
const settings = { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };

describeStoreContract('JSON file', async () => {
  const tmp = await tempDir();
  const path = join(tmp.dir, 'nested', 'paperboy.json');
  let current = await openJsonStore(path, opts);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await openJsonStore(path, opts);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await tmp.remove();
    },
  };
});

// Same contract with compaction after almost every write (journal and paper log), so the snapshot and rewrite paths are exercised as much as appends.
describeStoreContract('JSON file, compacting constantly', async () => {
  const tmp = await tempDir();
  const path = join(tmp.dir, 'paperboy.json');
  let current = await openJsonStore(path, { ...opts, compactAfterBytes: 1, paperCompactAfterBytes: 1 });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await openJsonStore(path, { ...opts, compactAfterBytes: 1, paperCompactAfterBytes: 1 });
      return current;
    },
    cleanup: async () => {
      await current.close();
      await tmp.remove();
    },
  };
});

describe('JSON store files', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let path: string;
  beforeEach(async () => {
    tmp = await tempDir();
    path = join(tmp.dir, 'data', 'paperboy.json');
  });
  afterEach(() => tmp.remove());

  it('starts empty on a missing file, creating its directory, and writes a versioned file on close', async () => {
    const store = await openJsonStore(path, opts);
    expect(await store.countPapers()).toBe(0);
    await store.upsertPapers(realPapers(REAL_DAYS[0]));
    await store.close();
    const data = JSON.parse(await readFile(path, 'utf8'));
    expect(data.version).toBe(SCHEMA_VERSION);
    expect(data.papers).toBeUndefined();
    // After a clean close: the JSON file, its paper log and where each paper lies; no journal or lock is left.
    expect((await readdir(join(tmp.dir, 'data'))).sort()).toEqual(['paperboy.json', 'paperboy.json.papers', 'paperboy.json.papers.idx']);
    const again = await openJsonStore(path, opts);
    expect(await again.countPapers()).toBe(realPapers(REAL_DAYS[0]).length);
    await again.close();
  });

  it('loads a version 1 file (before arXiv) as is: its papers are Hugging Face listings', async () => {
    const papers = realPapers(REAL_DAYS[0]);
    const v1 = { version: 1, seq: 3, papers: Object.fromEntries(papers.map((p) => [p.id, p])), fetchedDays: {}, destinations: {}, digests: {}, delivered: {} };
    await mkdir(join(tmp.dir, 'data'), { recursive: true });
    await writeFile(path, JSON.stringify(v1));
    const store = await openJsonStore(path, opts);
    expect(await store.getPaper(papers[0]!.id)).toEqual(papers[0]);
    expect((await store.papersListedBetween(REAL_DAYS[0], REAL_DAYS[0])).length).toBe(papers.length);
    await store.upsertPapers([{ ...papers[0]!, sources: { arxiv: '2026-06-20' }, listedOn: '2026-06-20', categories: ['cs.CV'] }]);
    await store.close();
    const data = JSON.parse(await readFile(path, 'utf8'));
    expect(data.version).toBe(SCHEMA_VERSION);
    const again = await openJsonStore(path, opts);
    expect(await again.getPaper(papers[0]!.id)).toMatchObject({ listedOn: '2026-06-20', sources: { hf: REAL_DAYS[0], arxiv: '2026-06-20' }, categories: ['cs.CV'] });
    await again.close();
  });

  it('gives a file written before revisions revs in file order and one epoch, kept from then on', async () => {
    const papers = realPapers(REAL_DAYS[0]);
    const v2 = { version: 2, seq: 3, papers: Object.fromEntries(papers.map((p) => [p.id, p])), fetchedDays: {}, destinations: {}, digests: {}, delivered: {} };
    await mkdir(join(tmp.dir, 'data'), { recursive: true });
    await writeFile(path, JSON.stringify(v2));
    const store = await openJsonStore(path, opts);
    const first = await store.paperRevision();
    expect(first).toMatchObject({ rev: papers.length, count: papers.length });
    expect((await store.papersChangedSince(0)).papers.map((p) => p.id)).toEqual(papers.map((p) => p.id));
    await store.close();
    const again = await openJsonStore(path, opts);
    expect(await again.paperRevision()).toEqual(first);
    await again.close();
  });

  it('gives a new store a new epoch, and a restored one too', async () => {
    const a = await openJsonStore(path, opts);
    await a.upsertPapers(realPapers(REAL_DAYS[0]));
    const ra = await a.paperRevision();
    await a.close();
    const b = await openJsonStore(join(tmp.dir, 'other.json'), opts);
    expect((await b.paperRevision()).epoch).not.toBe(ra.epoch);
    await b.close();
    // Opening makes the backup; restoring it is another paper set, whatever its revs.
    await (await openJsonStore(path, opts)).close();
    await restoreJsonBackup(path);
    const restored = await openJsonStore(path, opts);
    const rr = await restored.paperRevision();
    expect(rr.count).toBe(ra.count);
    expect(rr.epoch).not.toBe(ra.epoch);
    await restored.close();
    const reopened = await openJsonStore(path, opts);
    expect(await reopened.paperRevision()).toEqual(rr);
    await reopened.close();
  });

  it('opens through openStore with a file: URL', async () => {
    const store = await openStore(`file:${path}`, opts);
    await store.markDayFetched('2026-06-22', '2026-06-22T10:00:00.000Z', 3);
    await store.close();
    const again = await openStore(`file://${path}`, opts);
    expect((await again.fetchedDays()).get('2026-06-22')?.count).toBe(3);
    await again.close();
  });

  it('rejects other URL schemes with a config error', async () => {
    await expect(openStore('mysql://localhost/db', opts)).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('mysql') });
    await expect(openStore('paperboy.json', opts)).rejects.toMatchObject({ code: 'config' });
    await expect(openStore('file:', opts)).rejects.toMatchObject({ code: 'config' });
  });

  it('acknowledges a change only once it is on disk, and coalesces parallel commands into few writes', async () => {
    const store = await openJsonStore(path, opts);
    const d = await store.ensureDestination({ platform: 'slack', kind: 'user', id: 'U1' }, settings);
    const before = store.stats().appends;
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.addTopic(d.key, `topic ${i}`, 500)));
    const s = store.stats();
    expect(s.changes).toBeGreaterThanOrEqual(201);
    expect(s.appends - before).toBeLessThan(10);
    // Without closing, the file on disk (journal) already holds every acknowledged topic.
    const journal = await readFile(storeFiles(path).journal, 'utf8');
    const last = JSON.parse(journal.trim().split('\n').at(-1)!);
    expect(last.v.settings.topics.length).toBe(200);
    await store.close();
  });

  it('compacts the journal into the JSON file once it outgrows it; papers never go there', async () => {
    const store = await openJsonStore(path, { ...opts, compactAfterBytes: 4096 });
    for (const day of REAL_DAYS) await store.upsertPapers(realPapers(day));
    const d = await store.ensureDestination({ platform: 'slack', kind: 'user', id: 'U1' }, settings);
    for (let i = 0; i < 100; i++) await store.addTopic(d.key, `a topic long enough to fill the journal ${i}`, 500);
    // Compactions run in the background; a forced one waits for any running first.
    await store.compact();
    expect(store.stats().compactions).toBeGreaterThan(1);
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk.destinations[d.key].settings.topics).toHaveLength(100);
    expect(onDisk.papers).toBeUndefined();
    await store.close();
  });

  it('keeps answering commands while a compaction writes the file', async () => {
    const store = await openJsonStore(path, opts);
    await store.upsertPapers(realPapers(REAL_DAYS[0]));
    const d = await store.ensureDestination({ platform: 'slack', kind: 'user', id: 'U1' }, settings);
    const compaction = store.compact();
    const adds = await Promise.all(Array.from({ length: 50 }, (_, i) => store.addTopic(d.key, `during ${i}`, 100)));
    await compaction;
    expect(adds.every((a) => a.added)).toBe(true);
    await store.close();
    const again = await openJsonStore(path, opts);
    expect((await again.getDestination(d.key))?.settings.topics.length).toBe(50);
    await again.close();
  });

  it('opens a file once per process', async () => {
    const store = await openJsonStore(path, opts);
    await expect(openJsonStore(path, opts)).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('already open') });
    await expect(openJsonStore(join(tmp.dir, 'data', '..', 'data', 'paperboy.json'), opts)).rejects.toMatchObject({ code: 'store' });
    await store.close();
    const again = await openJsonStore(path, opts);
    await again.close();
  });

  it('refuses a file locked by another live process, and takes over the lock of a dead one', async () => {
    const files = storeFiles(path);
    const store = await openJsonStore(path, opts);
    await store.close();
    await writeFile(files.lock, `${process.ppid}\n`); // our parent: alive, and not us
    await expect(openJsonStore(path, opts)).rejects.toMatchObject({ code: 'store', message: expect.stringContaining(`pid ${process.ppid}`) });
    await writeFile(files.lock, '2147483646\n'); // no such process
    const again = await openJsonStore(path, opts);
    await again.close();
  });

  it('works after being closed and reports a closed store clearly', async () => {
    const store = await openJsonStore(path, opts);
    await store.close();
    await store.close(); // twice is harmless
    await expect(store.countPapers()).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('closed') });
    expect((await stat(path)).size).toBeGreaterThan(0);
  });
});
