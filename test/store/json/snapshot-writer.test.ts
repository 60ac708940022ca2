/**
 * writeSnapshot: the file it writes is valid JSON that loads back to the same state, section by
 * section and across its chunk boundaries; it is the state at the moment the view was taken, even
 * while changes go on; and a failed write leaves the old file and no temp file behind.
 */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../src/store/json/load.ts';
import { storeFiles } from '../../../src/store/json/paths.ts';
import { writeSnapshot } from '../../../src/store/json/snapshot-writer.ts';
import type { Change } from '../../../src/store/memory/schema.ts';
import { StoreState } from '../../../src/store/memory/state.ts';
import { realPapers } from '../real-papers.ts';
import { tempDir } from '../temp-dir.ts';

const papers = realPapers('2026-06-22');
const settings = { topics: ['agents'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };
const dest = (id: string) => ({ platform: 'slack' as const, kind: 'channel' as const, id, key: `slack:channel:${id}`, settings, state: {}, createdAt: '2026-06-01T00:00:00.000Z' });

/** Any text a paper or key may carry, JSON's awkward characters included. */
const awkward = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('"', '\\', '\u2028', '\u0000', '</script>', '__proto__', 'constructor', '😀', '\ud800'));

// No papers: the file does not hold them (the paper log does, test/store/json/paper-log.test.ts).
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.tuple(fc.nat(60), fc.nat(300)).map(([d, count]) => ({ t: 'day' as const, day: `2026-05-${String(1 + (d % 28)).padStart(2, '0')}`, v: { at: '2026-06-24T09:00:00.000Z', count } })),
  fc.tuple(awkward, awkward).map(([id, topic]) => ({ t: 'dest' as const, v: { ...dest(id || 'C'), settings: { ...settings, topics: [topic] } } })),
  fc.tuple(awkward, fc.nat(9), fc.array(awkward, { maxLength: 3 })).map(([k, d, ids]) => ({ t: 'digest' as const, key: `slack:channel:${k}`, day: `2026-06-0${d}`, v: { status: 'sent' as const, claimedAt: '2026-06-24T09:00:00.000Z', paperIds: ids }, ids })),
  fc.tuple(awkward, awkward).map(([k, id]) => ({ t: 'saved' as const, key: `shell:user:${k}`, id, at: '2026-06-24T09:00:00.000Z' })),
);

/** The view as plain data, for comparing two states. */
const plain = (s: StoreState) => JSON.parse(JSON.stringify(s.view(), (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v)));

describe('writeSnapshot', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('paperboy-snapshot-');
  });
  afterAll(() => tmp.remove());
  let n = 0;

  async function roundTrip(state: StoreState): Promise<{ back: StoreState; bytes: number; file: string }> {
    const file = join(tmp.dir, `s${n++}.json`);
    const bytes = await writeSnapshot(file, state.view());
    const read = await readSnapshot(file, storeFiles(file));
    expect(read).toBeDefined();
    return { back: StoreState.fromData(read!.data), bytes, file };
  }

  it('writes what loads back to the same state, for any changes and awkward text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 60 }), async (changes) => {
        const state = new StoreState();
        for (const c of changes) state.apply(c);
        const { back, bytes, file } = await roundTrip(state);
        expect(plain(back)).toEqual(plain(state));
        expect(bytes).toBe((await stat(file)).size);
      }),
      { numRuns: 150 },
    );
  });

  it('an empty state, and sections of exactly one chunk, one more and many', async () => {
    const empty = await roundTrip(new StoreState());
    expect(plain(empty.back)).toEqual(plain(new StoreState()));
    expect(JSON.parse(await readFile(empty.file, 'utf8'))).toMatchObject({ destinations: {}, digests: {}, delivered: {}, saved: {} });
    for (const count of [499, 500, 501, 1001]) {
      const state = new StoreState();
      for (let i = 0; i < count; i++) {
        state.apply({ t: 'paper', v: { ...papers[i % papers.length]!, id: `2406.${String(i).padStart(5, '0')}` } });
        state.apply({ t: 'dest', v: dest(`C${i}`) });
      }
      const { back, file } = await roundTrip(state);
      expect(back.papers.size).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).papers).toBeUndefined();
      expect(back.destinations.size).toBe(count);
      expect(plain(back)).toEqual(plain(state));
    }
  });

  it('writes the state as it was when the view was taken, while changes go on during the write', async () => {
    const state = new StoreState();
    for (let i = 0; i < 1500; i++) state.apply({ t: 'dest', v: dest(`C${i}`) });
    state.apply({ t: 'digest', key: 'k', day: '2026-06-24', v: { status: 'claimed', claimedAt: 'a' } });
    const before = plain(state);
    const file = join(tmp.dir, 'moving.json');
    const writing = writeSnapshot(file, state.view());
    // Changes made while the file is written chunk by chunk must not leak into it.
    for (let i = 0; i < 1500; i += 7) state.apply({ t: 'dest', v: { ...dest(`C${i}`), createdAt: '2026-06-30T00:00:00.000Z' } });
    state.apply({ t: 'dest', v: dest('late') });
    state.apply({ t: 'digest', key: 'k', day: '2026-06-24', v: { status: 'sent', claimedAt: 'a', paperIds: ['p1'] }, ids: ['p1'] });
    await writing;
    const back = StoreState.fromData((await readSnapshot(file, storeFiles(file)))!.data);
    expect(plain(back)).toEqual(before);
  });

  it('a failed write keeps the old file and leaves no temp file', async () => {
    const dir = join(tmp.dir, 'fail');
    await mkdir(dir);
    // The target is a directory: the final rename fails after the whole file was written aside.
    const target = join(dir, 'paperboy.json');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'x');
    await expect(writeSnapshot(target, new StoreState().view())).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['paperboy.json']);
    expect(await readFile(join(target, 'keep'), 'utf8')).toBe('x');
    // A directory that does not exist: refused, nothing created.
    await expect(writeSnapshot(join(dir, 'missing', 'paperboy.json'), new StoreState().view())).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).sort()).toEqual(['paperboy.json']);
  });
});
