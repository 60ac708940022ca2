/**
 * The kept index killed with SIGKILL in the middle of writing a generation: a child process changes
 * the index and writes it with PAPERBOY_INDEX_FAULT naming one step, stops dead there, and is
 * killed. The next start must load the previous generation (or, killed after the commit, the new
 * one), catch up with the store, and answer every lookup as an index built afresh from the store.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { FAULT_ENV, openKeptIndex, paperIndexFactory, type FaultPoint, type Manifest } from '../../src/index-files/index.ts';
import type { Paper } from '../../src/core/model/paper.ts';
import { recordingLogger } from '../core/sources/hf/recording-logger.ts';
import { tempDir } from '../store/temp-dir.ts';
import { waitFor } from '../support/wait.ts';
import { corpusPapers, indexDir, matchSets, openStoreIn } from './support.ts';

const child = fileURLToPath(new URL('./fixtures/index-child.ts', import.meta.url));

interface Killed {
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/** Runs the child until it reports reaching `fault`, then kills it with SIGKILL. */
function runUntilFault(dir: string, args: string[], fault: FaultPoint): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, ...args], { env: { ...process.env, [FAULT_ENV]: fault }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(`paperboy index fault: ${fault}`)) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('close', (_code, signal) => resolve({ stdout, stderr, signal }));
  });
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
afterEach(() => tmp?.remove());

let papers: Paper[];
beforeAll(async () => {
  papers = await corpusPapers(0, 1700);
});

/** A store of `n` papers with a committed generation (merges off: `segments` small segments). */
async function seed(dir: string, n: number, batch = n): Promise<Manifest> {
  const store = await openStoreIn(dir);
  const kept = await openKeptIndex({ dir: indexDir(dir), store, logger: recordingLogger(), factory: paperIndexFactory, debounceMs: 3_600_000, merges: false });
  for (let i = kept.size(); i < n; i += batch) {
    const b = papers.slice(i, Math.min(n, i + batch));
    await store.upsertPapers(b);
    kept.add(b);
  }
  await kept.flush();
  const m = kept.committed!;
  await kept.close();
  await store.close();
  return m;
}

/** Opens what the kill left: how it loaded, and whether it answers as a fresh build over the store. */
async function reopen(dir: string) {
  const log = recordingLogger();
  const store = await openStoreIn(dir);
  const kept = await openKeptIndex({ dir: indexDir(dir), store, logger: log, factory: paperIndexFactory, merges: false });
  try {
    const fresh = createSearchIndex(await store.allPapers());
    const restored = log.entries.find((e) => e.msg === 'search index restored from disk')?.obj as { generation: number; caughtUp: number } | undefined;
    return { origin: kept.origin, restored, log, same: JSON.stringify(matchSets(kept)) === JSON.stringify(matchSets(fresh)), size: kept.size(), storeCount: fresh.size() };
  } finally {
    await kept.close();
    await store.close();
  }
}

const leftovers = async (dir: string) => (await readdir(indexDir(dir))).filter((n) => n.endsWith('.tmp'));

describe('the kept index killed while writing', () => {
  const beforeCommit: FaultPoint[] = ['mid-segment-tmp', 'after-segment-tmp', 'after-state-tmp', 'after-manifest-tmp'];
  for (const fault of beforeCommit) {
    it(`loads the previous generation and catches up: killed at ${fault}`, { timeout: 120_000 }, async () => {
      tmp = await tempDir('paperboy-index-crash-');
      const first = await seed(tmp.dir, 1500);
      const run = await runUntilFault(tmp.dir, ['add', '1500', '1700'], fault);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.stdout).not.toContain('"committed"');
      expect((await leftovers(tmp.dir)).length, 'the kill left a temp file behind').toBeGreaterThan(0);
      const r = await reopen(tmp.dir);
      expect(r.origin).toBe('restored');
      expect(r.restored).toMatchObject({ generation: first.generation, caughtUp: 200 });
      expect(r.size).toBe(1700);
      expect(r.storeCount).toBe(1700);
      expect(r.same, 'answers differ from an index built afresh from the store').toBe(true);
      expect(await leftovers(tmp.dir)).toEqual([]);
    });
  }

  it('loads the new generation when killed right after the commit', { timeout: 120_000 }, async () => {
    tmp = await tempDir('paperboy-index-crash-');
    const first = await seed(tmp.dir, 1500);
    const run = await runUntilFault(tmp.dir, ['add', '1500', '1700'], 'after-manifest-rename');
    expect(run.signal, run.stderr).toBe('SIGKILL');
    const r = await reopen(tmp.dir);
    expect(r.restored).toMatchObject({ generation: first.generation + 1, caughtUp: 0 });
    expect(r.same).toBe(true);
    // The old generation's state file was not yet deleted by the killed process; the start did it.
    expect((await readdir(indexDir(tmp.dir))).filter((n) => n.startsWith('state-'))).toHaveLength(1);
  });

  it('loads the unmerged generation when killed while writing a merge', { timeout: 120_000 }, async () => {
    tmp = await tempDir('paperboy-index-crash-');
    const first = await seed(tmp.dir, 1200, 40);
    expect(first.segments.length).toBe(30);
    const run = await runUntilFault(tmp.dir, ['merge'], 'mid-merge-tmp');
    expect(run.signal, run.stderr).toBe('SIGKILL');
    expect(run.stdout).not.toContain('"committed"');
    const r = await reopen(tmp.dir);
    expect(r.restored).toMatchObject({ generation: first.generation, caughtUp: 0 });
    expect(r.same).toBe(true);
    // Let the merge finish this time: the merged generation loads and answers the same.
    const store = await openStoreIn(tmp.dir);
    const kept = await openKeptIndex({ dir: indexDir(tmp.dir), store, logger: recordingLogger(), factory: paperIndexFactory, debounceMs: 0 });
    await waitFor(async () => {
      await kept.flush();
      return kept.committed!.segments.length < first.segments.length;
    }, { what: 'a merged generation committed', timeoutMs: 60_000 });
    await kept.close();
    await store.close();
    const merged = await reopen(tmp.dir);
    expect(merged.origin).toBe('restored');
    expect(merged.same).toBe(true);
  });
});
