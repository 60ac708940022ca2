/** A damaged store file or journal stops the open with a clear error and is never overwritten. */
import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { openJsonStore, restoreJsonBackup, storeFiles } from '../../src/store/index.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';
import { tempDir } from './temp-dir.ts';

const opts = { logger: silentLogger };
const settings = { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };

describe('JSON store damage', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let path: string;
  let files: ReturnType<typeof storeFiles>;

  beforeEach(async () => {
    tmp = await tempDir();
    path = join(tmp.dir, 'paperboy.json');
    files = storeFiles(path);
  });
  afterEach(() => tmp.remove());

  /** A store with real papers and a channel, closed cleanly, then opened and closed again so a backup exists. */
  async function goodStore(): Promise<void> {
    const s = await openJsonStore(path, opts);
    await s.upsertPapers(realPapers(REAL_DAYS[0]));
    const d = await s.ensureDestination({ platform: 'discord', kind: 'channel', id: 'c1' }, settings);
    await s.addTopic(d.key, 'agents', 10);
    await s.close();
    await (await openJsonStore(path, opts)).close();
  }

  async function expectRefused(file: string, problem: RegExp): Promise<void> {
    const bytes = await readFile(file);
    const mtime = (await stat(file)).mtimeMs;
    const bak = await readFile(files.backup).catch(() => undefined);
    const err = await openJsonStore(path, opts).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; hint?: string },
    );
    expect(err, 'opening a damaged store must fail').toBeDefined();
    expect(err!.code).toBe('store');
    expect(err!.message).toContain(file);
    expect(err!.message).toMatch(problem);
    if (bak) expect(err!.hint).toContain('paperboy restore');
    // Untouched: same bytes, same mtime, backup not refreshed from it, and no lock left behind.
    expect(await readFile(file)).toEqual(bytes);
    expect((await stat(file)).mtimeMs).toBe(mtime);
    if (bak) expect(await readFile(files.backup)).toEqual(bak);
    await expect(stat(files.lock)).rejects.toMatchObject({ code: 'ENOENT' });
  }

  it('refuses a file that is not JSON', async () => {
    await goodStore();
    await writeFile(path, '{"version": 1, "papers": {oops');
    await expectRefused(path, /not valid JSON/);
  });

  it('refuses a truncated file', async () => {
    await goodStore();
    const size = (await stat(path)).size;
    await truncate(path, Math.floor(size / 2));
    await expectRefused(path, /not valid JSON/);
  });

  it('refuses an empty file', async () => {
    await goodStore();
    await writeFile(path, '');
    await expectRefused(path, /empty/);
  });

  it('refuses an empty file even without a backup, telling how to start over', async () => {
    await writeFile(path, '');
    const err = await openJsonStore(path, opts).catch((e: unknown) => e as { hint?: string });
    expect((err as { hint?: string }).hint).toMatch(/no backup.*move it away/i);
    expect((await stat(path)).size).toBe(0);
  });

  it('refuses JSON that is not a store', async () => {
    await writeFile(path, 'null');
    await expectRefused(path, /no store data/);
    await writeFile(path, '[1,2,3]');
    await expectRefused(path, /not hold a JSON object/);
    await writeFile(path, '{"papers": {}}');
    await expectRefused(path, /version/);
    await writeFile(path, JSON.stringify({ version: 1, papers: {}, fetchedDays: {}, destinations: { x: { key: 'x' } }, digests: {}, delivered: {} }));
    await expectRefused(path, /destination "x" is malformed/);
  });

  it('refuses a file written by a newer schema', async () => {
    await goodStore();
    const data = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...data, version: 99 }));
    await expectRefused(path, /newer Paperboy/);
  });

  it('refuses a journal with a damaged line in the middle', async () => {
    await goodStore();
    const data = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(files.journal, `{"s":${data.seq + 1},"t":"day","day":"2026-06-22","v":{"at":"x","count":1}}\n`);
    await appendFile(files.journal, 'garbage\n{"s":999,"t":"day","day":"2026-06-23","v":{"at":"x","count":1}}\n');
    await expectRefused(files.journal, /line \d+ is not a valid change record/);
  });

  it('refuses a journal that does not follow its snapshot', async () => {
    await goodStore();
    await writeFile(files.journal, '{"s":500,"t":"day","day":"2026-06-23","v":{"at":"x","count":1}}\n');
    await expectRefused(files.journal, /does not follow the snapshot/);
  });

  it('drops a torn last journal line (a write cut short) and goes on appending cleanly', async () => {
    await goodStore();
    const data = JSON.parse(await readFile(path, 'utf8'));
    const next = data.seq + 1;
    await writeFile(
      files.journal,
      `{"s":${next},"t":"day","day":"2026-06-23","v":{"at":"2026-06-23T10:00:00.000Z","count":7}}\n{"s":${next + 1},"t":"day","day":"2026-06-2`,
    );
    const s = await openJsonStore(path, opts);
    expect((await s.fetchedDays()).get('2026-06-23')).toEqual({ at: '2026-06-23T10:00:00.000Z', count: 7 });
    await s.markDayFetched('2026-06-24', '2026-06-24T10:00:00.000Z', 9);
    const lines = (await readFile(files.journal, 'utf8')).split('\n');
    expect(lines.filter(Boolean).every((l) => JSON.parse(l).t === 'day')).toBe(true);
    await s.close();
    const again = await openJsonStore(path, opts);
    expect([...(await again.fetchedDays()).keys()].sort()).toEqual(['2026-06-23', '2026-06-24']);
    await again.close();
  });

  it('replays journal segments a compaction cut short left behind, then removes them', async () => {
    await goodStore();
    const seq = JSON.parse(await readFile(path, 'utf8')).seq as number;
    const line = (s: number, day: string) => `{"s":${s},"t":"day","day":"${day}","v":{"at":"2026-06-30T10:00:00.000Z","count":${s}}}\n`;
    // As after a crash mid-compaction: a closed segment, the live journal, and the old snapshot.
    await writeFile(`${files.journal}.${seq + 2}`, line(seq + 1, '2026-06-23') + line(seq + 2, '2026-06-24'));
    await writeFile(files.journal, line(seq + 3, '2026-06-25'));
    const s = await openJsonStore(path, opts);
    expect([...(await s.fetchedDays()).keys()].sort()).toEqual(['2026-06-23', '2026-06-24', '2026-06-25']);
    await s.close();
    await expect(stat(`${files.journal}.${seq + 2}`)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await openJsonStore(path, opts);
    expect((await again.fetchedDays()).size).toBe(3);
    await again.close();
  });

  it('refuses a journal segment whose last line is cut short', async () => {
    await goodStore();
    const seq = JSON.parse(await readFile(path, 'utf8')).seq as number;
    await writeFile(`${files.journal}.${seq + 1}`, `{"s":${seq + 1},"t":"day","day":"2026-06-2`);
    await expectRefused(`${files.journal}.${seq + 1}`, /cut short/);
  });

  it('restores the last good backup, keeping the damaged files aside', async () => {
    await goodStore();
    // Changes after the backup was taken (the last open) are not in it.
    const s = await openJsonStore(path, opts);
    await s.markDayFetched('2026-06-23', '2026-06-23T10:00:00.000Z', 1);
    await s.close();
    await writeFile(path, '{ damaged');
    await expect(openJsonStore(path, opts)).rejects.toMatchObject({ code: 'store' });

    const r = await restoreJsonBackup(path);
    expect(r.restored).toBe(files.main);
    expect(r.from).toBe(files.backup);
    expect(r.papers).toBe(realPapers(REAL_DAYS[0]).length);
    expect(r.destinations).toBe(1);
    // The damaged file and the paper log it went with, both kept aside.
    expect(r.keptAside.map((f) => basename(f).replace(/\.before-restore-.*/, ''))).toEqual(['paperboy.json', 'paperboy.json.papers']);
    expect(await readFile(r.keptAside[0]!, 'utf8')).toBe('{ damaged');

    const restored = await openJsonStore(path, opts);
    expect(await restored.countPapers()).toBe(realPapers(REAL_DAYS[0]).length);
    expect((await restored.getDestination('discord:channel:c1'))?.settings.topics).toEqual(['agents']);
    expect((await restored.fetchedDays()).has('2026-06-23')).toBe(false);
    await restored.close();
  });

  it('restores nothing without a backup, from a damaged backup, or while the store is open', async () => {
    await expect(restoreJsonBackup(path)).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('no backup') });
    await goodStore();
    const s = await openJsonStore(path, opts);
    await expect(restoreJsonBackup(path)).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('close it') });
    await s.close();
    const main = await readFile(path);
    await writeFile(files.backup, '{"version":1,');
    await expect(restoreJsonBackup(path)).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('damaged too') });
    expect(await readFile(path)).toEqual(main);
  });
});
