/** importCorpus into the real in-memory store: a small gz file made here, and the real corpus. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/model/paper.ts';
import type { PaperStore } from '../../src/core/ports.ts';
import { importCorpus } from '../../src/import/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { recordingLogger } from '../core/sources/hf/recording-logger.ts';
import { loadFixtureDays } from '../support/hf-stand-in.ts';
import { CORPUS_PATH } from '../support/fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-import-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const shared = loadFixtureDays();
const day24 = shared.get('2026-06-24')!.slice(0, 4) as { paper: { id: string; upvotes: number } }[];
const line = (date: string, item: unknown) => JSON.stringify({ date, item });

/** Counts the calls a real store receives. */
function counting(store: PaperStore) {
  const batches: number[] = [];
  const wrapped: PaperStore = Object.create(store) as PaperStore;
  wrapped.upsertPapers = (papers: Paper[]) => {
    batches.push(papers.length);
    return store.upsertPapers(papers);
  };
  return { wrapped, batches };
}

describe('importCorpus, small file', () => {
  it('imports good lines, counts and reports the bad ones by line number', async () => {
    const relisted = { ...day24[0]!, paper: { ...day24[0]!.paper, upvotes: day24[0]!.paper.upvotes + 5 } };
    const lines = [
      line('2026-06-24', day24[0]), // 1
      line('2026-06-24', day24[1]), // 2
      'this is not json', // 3
      '', // 4 (blank: ignored)
      line('2026-06-24', { paper: { id: '2606.00001', title: 99, upvotes: 1 } }), // 5 invalid item
      line('2026-06-24', day24[2]), // 6
      '{"date": "2026-06-24", "item": {"paper": {"id": "2606.0', // 7 truncated
      line('2026-06-25', relisted), // 8 the same paper on a later day
      line('2026-06-24', day24[3]), // 9
    ];
    const path = join(dir, 'small.jsonl.gz');
    await writeFile(path, gzipSync(lines.join('\n') + '\n'));
    const store = createMemoryStore();
    const { wrapped, batches } = counting(store);
    const logger = recordingLogger();
    const progress: [number, number | undefined][] = [];
    const r = await importCorpus(path, wrapped, { logger, batchSize: 2, onProgress: (d, t) => progress.push([d, t]) });

    expect(r).toMatchObject({ items: 6, papers: 4, skipped: 3, malformed: 2, days: 2, added: 4, updated: 1 });
    expect(r.problems).toEqual([
      { line: 3, reason: 'not valid JSON' },
      { line: 5, id: '2606.00001', reason: expect.stringContaining('paper.title') },
      { line: 7, reason: 'not valid JSON' },
    ]);
    expect(logger.warnings().map((w) => w.msg)).toEqual([
      'skipped line 3: not valid JSON',
      expect.stringMatching(/^skipped line 5 \(paper 2606\.00001\): paper\.title/),
      'skipped line 7: not valid JSON',
    ]);
    expect(await store.countPapers()).toBe(4);
    const again = await store.getPaper(day24[0]!.paper.id);
    // The store keeps the earliest day and takes the newer upvotes.
    expect(again?.listedOn).toBe('2026-06-24');
    expect(again?.upvotes).toBe(day24[0]!.paper.upvotes + 5);
    expect(batches.every((n) => n <= 2)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(5);
    // Progress ends at the total (8 non-blank lines), counted beforehand.
    expect(progress.at(-1)).toEqual([8, 8]);
    expect(progress.every(([, t]) => t === 8)).toBe(true);
  });

  it('imports a plain .jsonl and an empty file', async () => {
    const plain = join(dir, 'plain.jsonl');
    await writeFile(plain, day24.map((it) => line('2026-06-24', it)).join('\r\n'));
    const store = createMemoryStore();
    expect(await importCorpus(plain, store)).toMatchObject({ items: 4, papers: 4, skipped: 0, days: 1 });
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    expect(await importCorpus(empty, createMemoryStore())).toMatchObject({ items: 0, papers: 0, skipped: 0, days: 0 });
  });

  it('keeps a hundred problems and logs twenty, then a summary', async () => {
    const path = join(dir, 'junk.jsonl');
    await writeFile(path, Array.from({ length: 250 }, (_, i) => `junk ${i}`).join('\n'));
    const logger = recordingLogger();
    const r = await importCorpus(path, createMemoryStore(), { logger });
    expect(r).toMatchObject({ items: 0, skipped: 250, malformed: 250 });
    expect(r.problems).toHaveLength(100);
    expect(r.problems[99]).toEqual({ line: 100, reason: 'not valid JSON' });
    expect(logger.warnings()).toHaveLength(21);
    expect(logger.warnings().at(-1)!.msg).toBe('skipped 250 lines in all');
  });

  it('rejects a missing file with a clear error and writes nothing', async () => {
    const store = createMemoryStore();
    await expect(importCorpus(join(dir, 'missing.jsonl.gz'), store)).rejects.toThrow(/Cannot read corpus file .*missing\.jsonl\.gz: no such file/);
    expect(await store.countPapers()).toBe(0);
  });
});

describe('importCorpus, the real corpus', () => {
  it('imports all 9,581 items as 9,577 papers over 558 days', async () => {
    const store = createMemoryStore();
    const progress: number[] = [];
    const r = await importCorpus(CORPUS_PATH, store, {
      batchSize: 1000,
      onProgress: (d, t) => {
        expect(t).toBe(9581);
        progress.push(d);
      },
    });
    expect(r).toMatchObject({ items: 9581, papers: 9577, skipped: 0, malformed: 0, days: 558, added: 9577, updated: 4, problems: [] });
    expect(await store.countPapers()).toBe(9577);
    expect(progress.at(-1)).toBe(9581);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Listed on 2026-08-14 and again on 2026-08-20: the earliest day stays.
    expect((await store.getPaper('2608.13558'))?.listedOn).toBe('2026-08-14');
    expect(await store.papersListedBetween('2026-06-24', '2026-06-24')).toHaveLength(21);
  }, 120_000); // 48 MB unzipped, on a shared two-core machine
});
