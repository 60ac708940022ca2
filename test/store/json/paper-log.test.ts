/**
 * The JSON store's paper log, through openJsonStore: papers live beside the JSON file and come back
 * as they went in (odd Unicode, huge abstracts), across reopenings and rewrites; a torn last line is
 * dropped with a warning, damage before good records is refused; the backup is extended, not copied;
 * an older file converts once with its revs.
 */
import { appendFile, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Paper } from '../../../src/core/model/index.ts';
import { type Logger, silentLogger } from '../../../src/core/ports.ts';
import { openJsonStore, storeFiles } from '../../../src/store/index.ts';
import { REAL_DAYS, realPapers } from '../real-papers.ts';
import { tempDir } from '../temp-dir.ts';

const day1 = realPapers(REAL_DAYS[0]);
const day2 = realPapers(REAL_DAYS[1]);
const ids = (ps: Paper[]) => ps.map((p) => p.id).sort();

/** A logger that keeps its warnings. */
function recording(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (o: object | string, msg?: string) => void warnings.push(`${msg ?? ''} ${JSON.stringify(o)}`) };
}

/** Papers no normaliser would make, to see that the log keeps any text exactly. */
function oddPapers(): Paper[] {
  const base = day1[0]!;
  const texts = ['tab\there', 'line\nfeed', 'quote " and \\ backslash', '\u2028\u2029', 'nul \u0000 byte', '😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'e\u0301 vs é', 'שָׁלוֹם RTL', 'lone \ud800 surrogate', '{"not":"json"}\t[1,2]'];
  return texts.map((t, i) => ({ ...base, id: i % 2 === 0 ? `odd.${i}.${t}` : `odd.${i}`, title: t, abstract: `${t} `.repeat(50), authors: [t, 'Ada Lovelace'] }));
}

describe('JSON store paper log', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let path: string;
  let files: ReturnType<typeof storeFiles>;
  beforeEach(async () => {
    tmp = await tempDir('paperboy-paperlog-');
    path = join(tmp.dir, 'paperboy.json');
    files = storeFiles(path);
  });
  afterEach(() => tmp.remove());

  it('keeps odd Unicode and huge abstracts exactly, read one by one, by day, all at once and after reopening', async () => {
    const huge: Paper = { ...day1[1]!, id: '2606.99999', abstract: 'A very long abstract. '.repeat(600_000) }; // ~13 MB: more than one read
    const odd = oddPapers();
    const all = [...odd, huge, ...day1.slice(2)];
    // JSON turns a lone surrogate into its escape and back; compare against what JSON gives back.
    const expected = JSON.parse(JSON.stringify(all)) as Paper[];
    let store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(all);
    for (let round = 0; round < 2; round++) {
      for (const p of expected) expect(await store.getPaper(p.id)).toEqual(p);
      expect(await store.getPapers(expected.map((p) => p.id).reverse())).toEqual([...expected].reverse());
      expect(ids(await store.allPapers())).toEqual(ids(expected));
      expect(ids(await store.papersListedBetween(REAL_DAYS[0], REAL_DAYS[0]))).toEqual(ids(expected));
      expect((await store.papersChangedSince(0)).papers).toEqual(expected);
      await store.close();
      store = await openJsonStore(path, { logger: silentLogger });
    }
    await store.close();
  }, 60_000);

  it('reopens to exactly what it held: papers, revs and epoch', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.upsertPapers(day2.map((p) => ({ ...p, upvotes: p.upvotes + 1 })));
    await store.upsertPapers(day1.slice(0, 5).map((p) => ({ ...p, upvotes: p.upvotes + 10 })));
    const before = { rev: await store.paperRevision(), changed: await store.papersChangedSince(0), day: await store.papersListedBetween(REAL_DAYS[0], REAL_DAYS[1]) };
    await store.close();
    const again = await openJsonStore(path, { logger: silentLogger });
    expect(await again.paperRevision()).toEqual(before.rev);
    expect(await again.papersChangedSince(0)).toEqual(before.changed);
    expect(ids(await again.papersListedBetween(REAL_DAYS[0], REAL_DAYS[1]))).toEqual(ids(before.day));
    await again.close();
  });

  it('opens from the saved offsets only when they describe this log: stale ones are caught up, foreign or damaged ones ignored', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    const stale = await readFile(files.papersOffsets);
    const more = await openJsonStore(path, { logger: silentLogger });
    await more.upsertPapers(day2.map((p) => ({ ...p, upvotes: 1234 })));
    const rev = await more.paperRevision();
    await more.close();
    const expectAll = async () => {
      const s = await openJsonStore(path, { logger: silentLogger });
      expect(await s.paperRevision()).toEqual(rev);
      expect(ids(await s.allPapers())).toEqual(ids([...day1, ...day2]));
      expect((await s.getPaper(day2[0]!.id))?.upvotes).toBe(1234);
      await s.close();
    };
    // Offsets saved before the last papers came (as after a kill): what the log gained is scanned.
    await writeFile(files.papersOffsets, stale);
    await expectAll();
    // Another store's offsets, and a damaged file: not this log's, so the log is scanned whole.
    const other = join(tmp.dir, 'other.json');
    const o = await openJsonStore(other, { logger: silentLogger });
    await o.upsertPapers(day1);
    await o.close();
    await writeFile(files.papersOffsets, await readFile(storeFiles(other).papersOffsets));
    await expectAll();
    const good = await readFile(files.papersOffsets);
    good[good.length - 10] = good[good.length - 10]! ^ 0xff;
    await writeFile(files.papersOffsets, good);
    await expectAll();
  });

  it('drops a torn last record (a write cut short) with a warning, and appends cleanly after it', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    const good = (await stat(files.papers)).size;
    // Half of a record, as a kill in the middle of an append leaves it.
    const torn = `[${day1.length + 1},5000,123,"2606.00001",["2026-06-22"]]\t{"id":"2606.00001","title":"cut sh`;
    await appendFile(files.papers, torn);
    const logger = recording();
    const reopened = await openJsonStore(path, { logger });
    expect(logger.warnings.join('\n')).toMatch(/cut short by a crash/);
    expect((await stat(files.papers)).size).toBe(good);
    expect(await reopened.getPaper('2606.00001')).toBeUndefined();
    expect(await reopened.countPapers()).toBe(day1.length);
    await reopened.upsertPapers(day2);
    await reopened.close();
    const last = await openJsonStore(path, { logger: silentLogger });
    expect(ids(await last.allPapers())).toEqual(ids([...day1, ...day2]));
    await last.close();
  });

  it('drops a last record whose bytes are not what its head says (its line feed landed, its body did not)', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    const before = await store.paperRevision();
    await store.upsertPapers([{ ...day1[0]!, upvotes: 999 }]);
    await store.close();
    const text = await readFile(files.papers, 'utf8');
    await writeFile(files.papers, text.replace(/"upvotes":999/, '"upvotes":000'));
    const logger = recording();
    const reopened = await openJsonStore(path, { logger });
    expect(logger.warnings.join('\n')).toMatch(/cut short by a crash/);
    // The earlier record of that paper is its latest again.
    expect((await reopened.getPaper(day1[0]!.id))?.upvotes).toBe(day1[0]!.upvotes);
    expect(await reopened.paperRevision()).toEqual(before);
    await reopened.close();
  });

  it('refuses a paper file with a damaged line before good ones, and leaves it untouched', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    const lines = (await readFile(files.papers, 'utf8')).split('\n');
    lines[3] = `${lines[3]!.slice(0, 20)}garbage${lines[3]!.slice(40)}`;
    await writeFile(files.papers, lines.join('\n'));
    // Without the saved offsets (with them, the open does not read that line; a read finds it, below).
    await rm(files.papersOffsets);
    const bytes = await readFile(files.papers);
    await expect(openJsonStore(path, { logger: silentLogger })).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/paperboy\.json\.papers is damaged: .*good ones follow/) });
    expect(await readFile(files.papers)).toEqual(bytes);
    await expect(stat(files.lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a JSON file whose paper file is missing, or empty', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    const log = await readFile(files.papers);
    await truncate(files.papers, 0);
    await expect(openJsonStore(path, { logger: silentLogger })).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/papers is damaged: it is empty/) });
    await writeFile(files.papers, log);
    await writeFile(`${files.papers}.moved`, log);
    await rm(files.papers);
    await expect(openJsonStore(path, { logger: silentLogger })).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/paper file .* is missing/) });
  });

  it('finds a record damaged in the middle when it is read (or backed up), and says so instead of handing out garbage', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    const victim = day1[4]!;
    const text = await readFile(files.papers, 'utf8');
    const at = text.indexOf(victim.title);
    // Same length, different bytes: the line structure holds, only the checksum can tell.
    const damaged = text.slice(0, at) + 'X' + text.slice(at + 1);
    await writeFile(files.papers, damaged);
    // Not backed up yet: the backup copy checks every record, so the open refuses.
    await expect(openJsonStore(path, { logger: silentLogger })).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/2606|does not match its checksum/) });
    await writeFile(files.papers, text);
    await (await openJsonStore(path, { logger: silentLogger })).close();
    // Backed up already: the open does not read it again; the read finds it.
    await writeFile(files.papers, damaged);
    const reopened = await openJsonStore(path, { logger: silentLogger });
    expect(await reopened.getPaper(day1[3]!.id)).toEqual(day1[3]);
    await expect(reopened.getPaper(victim.id)).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/checksum does not match/) });
    await reopened.close();
  });

  it('rewrites itself without superseded records once they outweigh the live ones, serving reads meanwhile', async () => {
    const store = await openJsonStore(path, { logger: silentLogger, paperCompactAfterBytes: 1 });
    await store.upsertPapers(day1);
    const size0 = store.stats().paperBytes;
    for (let i = 1; i <= 3; i++) {
      const reads = Promise.all(day1.map((p) => store.getPaper(p.id)));
      await store.upsertPapers(day1.map((p) => ({ ...p, upvotes: p.upvotes + i })));
      expect((await reads).every((p) => p !== undefined)).toBe(true);
    }
    await store.compactPapers(); // waits for the rewrite the last upsert started
    const s = store.stats();
    expect(s.paperCompactions).toBeGreaterThanOrEqual(1);
    expect(s.paperBytes).toBe(s.paperLiveBytes);
    expect(s.paperBytes).toBeLessThan(size0 * 1.5);
    expect((await stat(files.papers)).size).toBe(s.paperBytes);
    for (const p of day1) expect((await store.getPaper(p.id))?.upvotes).toBe(p.upvotes + 3);
    const rev = await store.paperRevision();
    await store.close();
    // The log before the rewrite is the backup now, hard-linked aside (no copy), and still loads.
    expect((await stat(files.papersBackup)).size).toBeGreaterThan(s.paperBytes);
    const again = await openJsonStore(path, { logger: silentLogger });
    expect(await again.paperRevision()).toEqual(rev);
    await again.close();
  });

  it('extends the paper backup at each open by what the log gained, without copying it again', async () => {
    const store = await openJsonStore(path, { logger: silentLogger });
    await store.upsertPapers(day1);
    await store.close();
    await (await openJsonStore(path, { logger: silentLogger })).close(); // first backup: a full, checked copy
    const first = await stat(files.papersBackup);
    const s2 = await openJsonStore(path, { logger: silentLogger });
    await s2.upsertPapers(day2);
    await s2.close();
    await (await openJsonStore(path, { logger: silentLogger })).close();
    const second = await stat(files.papersBackup);
    expect(second.ino).toBe(first.ino); // appended in place, not replaced by a copy
    expect(second.size).toBeGreaterThan(first.size);
    const bak = await readFile(files.papersBackup, 'utf8');
    for (const p of day2) expect(bak).toContain(JSON.stringify(p.id));
    expect(bak.trim().split('\n').at(-1)).toMatch(/^\{"mirror":\{"gen":"[^"]+","size":\d+\}\}$/);
  });

  it('converts a version 2 file with papers inside (and a journal of papers) once, keeping revs and epoch', async () => {
    const inside = Object.fromEntries(day1.map((p) => [p.id, p]));
    const revs = Object.fromEntries(day1.map((p, i) => [p.id, i + 1]));
    await writeFile(path, JSON.stringify({ version: 2, seq: 4, epoch: 'epoch-from-v2', revs, papers: inside, fetchedDays: {}, destinations: {}, digests: {}, delivered: {} }));
    const later = { ...day2[0]!, upvotes: 5 };
    await writeFile(files.journal, `${JSON.stringify({ s: 5, t: 'paper', v: later, r: day1.length + 1 })}\n${JSON.stringify({ s: 6, t: 'day', day: '2026-06-23', v: { at: 'x', count: 1 } })}\n`);
    const store = await openJsonStore(path, { logger: silentLogger });
    expect(await store.paperRevision()).toEqual({ epoch: 'epoch-from-v2', rev: day1.length + 1, count: day1.length + 1 });
    expect(await store.getPaper(later.id)).toEqual(later);
    expect((await store.fetchedDays()).get('2026-06-23')?.count).toBe(1);
    await store.close();
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.version).toBe(3);
    expect(file.papers).toBeUndefined();
    // Every paper once in the log.
    const records = (await readFile(files.papers, 'utf8')).split('\n').filter((l) => l.startsWith('['));
    expect(records).toHaveLength(day1.length + 1);
    const again = await openJsonStore(path, { logger: silentLogger });
    expect(ids(await again.allPapers())).toEqual(ids([...day1, later]));
    await again.close();
  });
});
