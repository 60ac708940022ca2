/**
 * The index at arXiv volume (issue 15): build from scratch, a day's 2,000 papers added to the big
 * index until searchable, an upvote refresh of them, background merges (the longest slice and
 * lookups while merging), snapshot and restore, lookup p50/p99 CPU, heap and RSS.
 *
 *   node --expose-gc --import tsx bench/index-volume.ts [--sizes 100000,500000] [--add 2000] [--queries 240] [--json]
 *
 * Each size runs in its own child process. Papers are the corpus replicated with fresh ids; the
 * heap figure is the index's JS objects (cards, ids, dictionaries), the postings' typed arrays apart.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { numberArg } from './lib/args.ts';
import { runChild } from './lib/child.ts';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { machineLine } from './lib/machine.ts';
import { lookupQueries } from './lib/queries.ts';
import { fmt, percentile, rssMB, timed } from './lib/stats.ts';
import { PaperIndex } from '../src/core/search/index.ts';
import { parseQuery, type ParsedQuery } from '../src/core/topics/parse.ts';
import type { Paper } from '../src/core/model/paper.ts';

export interface VolumeResult {
  size: number;
  load: string;
  buildCpuMs: number;
  buildMs: number;
  /** The index's JS heap (typed arrays apart) after the build, MB. */
  indexMB: number;
  postingsMB: number;
  rssMB: number;
  lookup: { p50: number; p99: number; cpuP50: number; cpuP99: number };
  /** A day's papers added and one lookup answered that finds them. */
  add: { papers: number; ms: number; cpuMs: number; segments: number };
  /** The same papers again with new upvotes only. */
  refresh: { ms: number; cpuMs: number };
  merge: { steps: number; merges: number; cpuMs: number; maxStepMs: number; lookupCpuP99: number; segmentsAfter: number };
  snapshotMs: number;
  restore: { ms: number; cpuMs: number; lookupCpuP99: number; same: boolean };
  /** RSS with only the restored index left (the papers and the built index dropped). */
  restoredRssMB: number;
}

/** Per-query wall and CPU ms over `queries`. */
function lookups(ix: PaperIndex, queries: ParsedQuery[]): { p50: number; p99: number; cpuP50: number; cpuP99: number; top: string[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  const top: string[] = [];
  for (const q of queries) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = ix.searchParsed(q, { limit: 10 });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    top.push(`${r.total}:${r.hits.map((h) => `${h.paper.id}@${h.score}`).join(',')}`);
  }
  return { p50: percentile(wall, 50), p99: percentile(wall, 99), cpuP50: percentile(cpu, 50), cpuP99: percentile(cpu, 99), top: top };
}

async function child(size: number, add: number, nQueries: number): Promise<void> {
  const corpus = await loadCorpus();
  let papers: Paper[] | undefined = replicate(corpus, size + add);
  const day = papers.slice(size);
  const base = papers.slice(0, size);
  const queries = lookupQueries(corpus, nQueries).map((q) => parseQuery(q));
  const warm = lookupQueries(corpus, 80, 2).map((q) => parseQuery(q));
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  const build = timed(() => new PaperIndex(base));
  let ix: PaperIndex | undefined = build.value;
  (globalThis as { gc?: () => void }).gc?.();
  // JS objects (cards, ids, dictionaries); the typed arrays are counted apart (V8 reports freed
  // buffers as external memory for a while after a GC, so `external` says little).
  const indexMB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  for (const q of warm) ix.searchParsed(q, { limit: 10 });
  const lookup = lookups(ix, queries);

  // A day's papers: one new segment, searchable at once (one lookup that finds one of them).
  const probe = parseQuery(`"${day[0]!.title.replace(/"/g, '')}"`);
  const added = timed(() => {
    ix!.add(day);
    return ix!.searchParsed(probe, { limit: 1 }).total;
  });
  if (added.value === 0) throw new Error('the added papers were not found');
  const segments = ix.segments.length;
  const refresh = timed(() => ix!.add(day.map((p) => ({ ...p, upvotes: p.upvotes + 7 }))));
  if (ix.segments.length !== segments) throw new Error('an upvote refresh made a segment');

  // Merges in slices of 10 ms, a lookup between slices (what a timer-driven caller does).
  const mergeCpu: number[] = [];
  let maxStepMs = 0;
  let merges = 0;
  let steps = 0;
  const c0 = process.cpuUsage();
  for (;;) {
    const t0 = performance.now();
    const state = ix.mergeStep(10);
    maxStepMs = Math.max(maxStepMs, performance.now() - t0);
    if (state === 'idle') break;
    steps++;
    if (state === 'merged') merges++;
    const l0 = process.cpuUsage();
    ix.searchParsed(queries[steps % queries.length]!, { limit: 10 });
    const l = process.cpuUsage(l0);
    mergeCpu.push((l.user + l.system) / 1000);
  }
  const mc = process.cpuUsage(c0);

  const snap = timed(() => ix!.snapshot());
  const expected = lookups(ix, queries).top;
  const postingsMB = ix.postingBytes() / 2 ** 20;
  const rss = rssMB();
  const restored = timed(() => PaperIndex.restore(snap.value));
  const back = restored.value;
  for (const q of warm) back.searchParsed(q, { limit: 10 });
  const again = lookups(back, queries);
  const same = again.top.every((t, i) => t === expected[i]);
  // Only the restored index left: what a process that loaded it holds.
  papers = undefined;
  ix = undefined;
  base.length = 0;
  day.length = 0;
  await new Promise((r) => setTimeout(r, 2000));
  const restoredRss = rssMB();
  const result: VolumeResult = {
    size, load: os.loadavg().map((l) => l.toFixed(1)).join(' '),
    buildCpuMs: build.cpuMs, buildMs: build.wallMs, indexMB, postingsMB, rssMB: rss,
    lookup: { p50: lookup.p50, p99: lookup.p99, cpuP50: lookup.cpuP50, cpuP99: lookup.cpuP99 },
    add: { papers: add, ms: added.wallMs, cpuMs: added.cpuMs, segments },
    refresh: { ms: refresh.wallMs, cpuMs: refresh.cpuMs },
    merge: { steps, merges, cpuMs: (mc.user + mc.system) / 1000, maxStepMs, lookupCpuP99: percentile(mergeCpu, 99), segmentsAfter: back.segments.length },
    snapshotMs: snap.wallMs,
    restore: { ms: restored.wallMs, cpuMs: restored.cpuMs, lookupCpuP99: again.cpuP99, same },
    restoredRssMB: restoredRss,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

export function volumeLine(r: VolumeResult): string {
  return `build ${fmt(r.buildMs / 1000, 2)} s (cpu ${fmt(r.buildCpuMs / 1000, 2)} s), index JS heap ${fmt(r.indexMB, 0)} MB + postings ${fmt(r.postingsMB, 0)} MB, RSS ${fmt(r.rssMB, 0)} MB; ` +
    `lookup p50 ${fmt(r.lookup.p50, 2)} ms, p99 ${fmt(r.lookup.p99, 2)} ms (cpu p50 ${fmt(r.lookup.cpuP50, 2)}, p99 ${fmt(r.lookup.cpuP99, 2)} ms); ` +
    `add ${r.add.papers} until searchable ${fmt(r.add.ms, 0)} ms (cpu ${fmt(r.add.cpuMs, 0)} ms, ${r.add.segments} segments); upvote refresh ${fmt(r.refresh.ms, 0)} ms; ` +
    `merges ${r.merge.merges} in ${r.merge.steps} slices (cpu ${fmt(r.merge.cpuMs, 0)} ms, longest slice ${fmt(r.merge.maxStepMs, 1)} ms, lookup cpu p99 meanwhile ${fmt(r.merge.lookupCpuP99, 2)} ms) -> ${r.merge.segmentsAfter} segments; ` +
    `snapshot ${fmt(r.snapshotMs, 0)} ms, restore ${fmt(r.restore.ms, 0)} ms (cpu ${fmt(r.restore.cpuMs, 0)} ms; same answers ${r.restore.same ? 'yes' : 'NO'}; lookup cpu p99 after ${fmt(r.restore.lookupCpuP99, 2)} ms), RSS restored alone ${fmt(r.restoredRssMB, 0)} MB; load ${r.load}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const add = numberArg('add', 2000);
  const queries = numberArg('queries', 240);
  if (argv.includes('--child')) return child(numberArg('size', 100_000), add, queries);
  const at = argv.indexOf('--sizes');
  const sizes = (at >= 0 ? argv[at + 1]! : '100000,500000').split(',').map(Number);
  const results: VolumeResult[] = [];
  if (!json) console.log(`Index at volume: ${machineLine()}`);
  for (const size of sizes) {
    process.stderr.write(`index volume at ${size}\n`);
    const out = await runChild('index-volume.ts', ['--child', '--size', String(size), '--add', String(add), '--queries', String(queries)], {
      timeoutMs: 1_800_000, nodeArgs: ['--expose-gc', '--max-old-space-size=6144'],
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as VolumeResult;
    results.push(r);
    if (!json) console.log(`${size.toLocaleString('en')} papers: ${volumeLine(r)}`);
  }
  if (json) console.log(JSON.stringify(results));
}

// run.ts imports volumeLine: only run when started as a script.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
