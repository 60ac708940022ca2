/**
 * The paper log under SIGKILL, with real child processes: killed in the middle of appends and the
 * rewrites they start, an acknowledged paper is never lost; killed between (and after) the steps of
 * converting an older file, the store opens with every paper exactly once; killed at each step of a
 * rewrite, it opens with every paper.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/model/index.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { openJsonStore, storeFiles } from '../../src/store/index.ts';
import { testRng } from '../support/seed.ts';
import { waitFor } from '../support/wait.ts';
import { REAL_DAYS, realPapers } from './real-papers.ts';
import { tempDir } from './temp-dir.ts';

const writer = fileURLToPath(new URL('./fixtures/paper-writer.ts', import.meta.url));

interface Run {
  lines: { k: string; papers?: [string, number][] }[];
  killed: boolean;
  stderr: string;
}

/** Runs the writer; with `killAfterAcks` the parent kills it once that many batches were acknowledged. */
function run(args: string[], killAfterAcks?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Run['lines'] = [];
    let buf = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        if (killAfterAcks !== undefined && lines.filter((l) => l.k === 'ack').length >= killAfterAcks) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ lines, killed: signal === 'SIGKILL', stderr }));
  });
}

/** `n` real papers with fresh ids (several copies of the fixture days). */
function manyPapers(n: number): Paper[] {
  const base = REAL_DAYS.flatMap((d) => realPapers(d));
  return Array.from({ length: n }, (_, i) => ({ ...base[i % base.length]!, id: `2699.${String(i).padStart(5, '0')}`, upvotes: i % 97 }));
}

const recordsIn = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('[')).length;

describe('paper log under SIGKILL', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir('paperboy-paper-crash-');
  });
  afterEach(() => tmp.remove());

  it('loses no acknowledged paper when killed during appends and the rewrites they start', { timeout: 240_000 }, async () => {
    const path = join(tmp.dir, 'paperboy.json');
    const rng = testRng('paper log append kills');
    const acked = new Map<string, number>();
    let rewritesSeen = 0;
    for (let round = 0; round < 6; round++) {
      const r = await run(['append', path, String(rng.int(2 ** 31))], 1 + rng.int(150));
      expect(r.stderr, `round ${round}: writer failed`).toBe('');
      expect(r.killed, `round ${round}: writer was not killed`).toBe(true);
      for (const l of r.lines) for (const [id, up] of l.papers ?? []) acked.set(id, Math.max(acked.get(id) ?? 0, up));
      if ((await readdir(tmp.dir)).some((f) => f.endsWith('.papers.bak'))) rewritesSeen++;
      const store = await openJsonStore(path, { logger: silentLogger });
      try {
        const lost: string[] = [];
        const stored = new Map((await store.getPapers([...acked.keys()])).map((p) => [p.id, p.upvotes]));
        // A batch not yet acknowledged may have landed too: at least what was acknowledged.
        for (const [id, up] of acked) if ((stored.get(id) ?? -1) < up) lost.push(`${id} ${up} (stored ${stored.get(id)})`);
        expect(lost, `round ${round} (seed ${rng.seed}): acknowledged papers lost`).toEqual([]);
      } finally {
        await store.close();
      }
    }
    expect(acked.size).toBeGreaterThan(6);
    expect(rewritesSeen, 'some rounds rewrote the log (its old copy became the backup)').toBeGreaterThan(0);
  });

  /** A version 2 store with `papers` inside and one more paper in its journal. */
  async function oldStore(path: string, papers: Paper[]): Promise<Paper[]> {
    const [inJournal, ...inFile] = papers;
    await writeFile(path, JSON.stringify({ version: 2, seq: 1, papers: Object.fromEntries(inFile.map((p) => [p.id, p])), fetchedDays: {}, destinations: {}, digests: {}, delivered: {} }));
    await writeFile(storeFiles(path).journal, `${JSON.stringify({ s: 2, t: 'paper', v: inJournal })}\n`);
    return papers;
  }

  async function expectEveryPaperOnce(path: string, papers: Paper[]): Promise<void> {
    const store = await openJsonStore(path, { logger: silentLogger });
    try {
      expect(await store.countPapers()).toBe(papers.length);
      const all = await store.allPapers();
      expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
      expect(all.map((p) => p.id).sort()).toEqual(papers.map((p) => p.id).sort());
      expect(await store.getPapers(papers.slice(0, 50).map((p) => p.id))).toEqual(papers.slice(0, 50));
    } finally {
      await store.close();
    }
    expect(await recordsIn(storeFiles(path).papers), 'each paper once in the paper file').toBe(papers.length);
    expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(3);
  }

  for (const step of ['papers-written', 'file-rewritten'] as const) {
    it(`opens with every paper exactly once after a kill while converting an older file (at ${step})`, { timeout: 120_000 }, async () => {
      const path = join(tmp.dir, 'paperboy.json');
      const files = storeFiles(path);
      const papers = await oldStore(path, manyPapers(3000));
      const r = await run(['convert', path, step]);
      expect(r.stderr).toBe('');
      expect(r.killed).toBe(true);
      // Killed where it was meant to be: the paper file complete; the JSON file old or new.
      expect(await recordsIn(files.papers)).toBe(papers.length);
      expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(step === 'papers-written' ? 2 : 3);
      await expectEveryPaperOnce(path, papers);
    });
  }

  it('opens with every paper exactly once after kills at random moments of a conversion', { timeout: 240_000 }, async () => {
    const rng = testRng('paper log conversion kills');
    for (let round = 0; round < 4; round++) {
      const path = join(tmp.dir, `r${round}`, 'paperboy.json');
      await mkdir(join(tmp.dir, `r${round}`));
      const papers = await oldStore(path, manyPapers(4000));
      const child = spawn(process.execPath, ['--import', 'tsx', writer, 'convert', path, 'none'], { stdio: 'ignore' });
      // Listened for from the start: a conversion that ends before the kill has closed already, and
      // a listener added after that waited for ever (the test hung on an idle machine).
      const closed = new Promise((res) => child.once('close', res));
      // The kill comes at a random moment from when the paper file is being written to a little after.
      const exists = (f: string) => stat(f).then(() => true, () => false);
      await waitFor(async () => child.exitCode !== null || (await exists(storeFiles(path).papersTmp)) || (await exists(storeFiles(path).papers)), {
        what: 'the conversion to start writing the paper file',
        timeoutMs: 60_000,
        intervalMs: 2,
      });
      await new Promise((res) => setTimeout(res, rng.int(400)));
      child.kill('SIGKILL');
      await closed;
      await expectEveryPaperOnce(path, papers);
    }
  });

  for (const step of ['compact-chunk', 'compact-written', 'compact-linked', 'compact-renamed', 'compact-done'] as const) {
    it(`opens with every paper after a kill during a rewrite of the log (at ${step})`, { timeout: 120_000 }, async () => {
      const path = join(tmp.dir, 'paperboy.json');
      const files = storeFiles(path);
      // Each superseded twice; for a kill between chunks, more than one read's worth (8 MiB) of live papers.
      const papers = manyPapers(step === 'compact-chunk' ? 6000 : 1500);
      const store = await openJsonStore(path, { logger: silentLogger, paperCompactAfterBytes: 2 ** 40 });
      for (let v = 0; v < 3; v++) await store.upsertPapers(papers.map((p) => ({ ...p, upvotes: p.upvotes + v })));
      await store.close();
      const before = (await stat(files.papers)).size;
      const r = await run(['compact', path, step]);
      expect(r.stderr).toBe('');
      expect(r.killed, `killed at ${step}`).toBe(true);
      const after = (await stat(files.papers)).size;
      // Before the rename the old log is in place; after it the rewritten one.
      expect(after < before).toBe(step === 'compact-renamed' || step === 'compact-done');
      const reopened = await openJsonStore(path, { logger: silentLogger });
      try {
        expect(await reopened.countPapers()).toBe(papers.length);
        const got = await reopened.getPapers(papers.map((p) => p.id));
        expect(got.map((p) => p.upvotes)).toEqual(papers.map((p) => p.upvotes + 2));
      } finally {
        await reopened.close();
      }
      // What the kill left aside is gone: no temp file stays.
      expect((await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }
});
