/**
 * The JSON store's papers at 100k and 500k: what opening costs (time, resident memory) and how fast
 * papers come back by id and by day, with the paper log (papers out of memory) beside the old
 * layout (every paper inside the JSON file, loaded whole into memory). Each measurement runs in a
 * fresh process so memory does not mix:
 *
 *   node --import tsx bench/store-papers.ts [--papers 100000] [--json]          (parent: makes the files, runs the children)
 *   node --import tsx bench/store-papers.ts --child open|old|convert --dir DIR   (one measurement)
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/core/ports.ts';
import { openJsonStore } from '../src/store/index.ts';
import { readSnapshot } from '../src/store/json/load.ts';
import { storeFiles } from '../src/store/json/paths.ts';
import { StoreState } from '../src/store/memory/state.ts';
import { numberArg } from './lib/args.ts';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { machineLine } from './lib/machine.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const PAPERS = numberArg('papers', 100_000);
const JSON_OUT = argv.includes('--json');
const CHILD = flag('child');
const DIR = flag('dir');

const mb = (bytes: number) => bytes / 2 ** 20;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rss = () => mb(process.memoryUsage().rss);

export interface ChildResult {
  openMs: number;
  rssMb: number;
  heapMb: number;
  getPapers10?: { p50: number; p99: number };
  dayMs?: number;
  dayPapers?: number;
  allMs?: number;
}

/** Fresh-process measurement of one layout. */
async function child(kind: string, dir: string): Promise<ChildResult> {
  const t0 = performance.now();
  if (kind === 'old') {
    // What opening the old layout did: parse the whole file and hold every paper in memory.
    const file = join(dir, 'old.json');
    const snap = await readSnapshot(file, storeFiles(file));
    const state = StoreState.fromData(snap!.data);
    const openMs = performance.now() - t0;
    const ids = [...state.papers.keys()];
    const lat: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      for (let j = 0; j < 10; j++) state.papers.get(ids[(i * 7919 + j * 104_729) % ids.length]!);
      lat.push(performance.now() - t);
    }
    return { openMs, rssMb: rss(), heapMb: mb(process.memoryUsage().heapUsed), getPapers10: { p50: pct(lat, 50), p99: pct(lat, 99) } };
  }
  const path = join(dir, kind === 'convert' ? 'convert.json' : 'new.json');
  const store = await openJsonStore(path, { logger: silentLogger });
  const openMs = performance.now() - t0;
  const out: ChildResult = { openMs, rssMb: rss(), heapMb: mb(process.memoryUsage().heapUsed) };
  if (kind === 'open') {
    const { papers } = await store.papersChangedSince((await store.paperRevision()).rev); // nothing: the cheap catch-up check
    if (papers.length !== 0) throw new Error('changedSince(rev) should be empty');
    // Ids to ask for: the latest 5,000 papers (read once; the timed reads below pick among them at random).
    const latest = (await store.papersChangedSince((await store.paperRevision()).rev - 5000)).papers;
    const ids = latest.map((p) => p.id);
    const lat: number[] = [];
    for (let i = 0; i < 300; i++) {
      const pick = Array.from({ length: 10 }, (_, j) => ids[(i * 7919 + j * 104_729) % ids.length]!);
      const t = performance.now();
      await store.getPapers(pick);
      lat.push(performance.now() - t);
    }
    out.getPapers10 = { p50: pct(lat, 50), p99: pct(lat, 99) };
    let t = performance.now();
    const when = latest[0]!.listedOn;
    const day = await store.papersListedBetween(when, when);
    out.dayMs = performance.now() - t;
    out.dayPapers = day.length;
    t = performance.now();
    await store.allPapers();
    out.allMs = performance.now() - t;
  }
  await store.close();
  return out;
}

/** Writes the old layout (version 2: every paper inside the JSON file) the way the old snapshot writer did. */
async function writeOldLayout(file: string, papers: ReturnType<typeof replicate>): Promise<void> {
  const h = await open(file, 'w');
  await h.write('{"version":2,"seq":1,\n"papers":{');
  for (let i = 0; i < papers.length; i += 1000) {
    await h.write(papers.slice(i, i + 1000).map((p, j) => `${i + j === 0 ? '' : ','}\n${JSON.stringify(p.id)}:${JSON.stringify(p)}`).join(''));
  }
  await h.write('},\n"fetchedDays":{},\n"destinations":{},\n"digests":{},\n"delivered":{},\n"saved":{}}\n');
  await h.close();
}

/** A child's result, or why it failed (the old layout at 500k does not load at all: one string of 1 GB). */
function runChildSync(kind: string, dir: string): ChildResult | { failed: string } {
  const self = fileURLToPath(import.meta.url);
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', kind, '--dir', dir], { encoding: 'utf8', maxBuffer: 2 ** 24, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
  } catch (e) {
    const err = (e as { stderr?: string }).stderr ?? String(e);
    return { failed: err.split('\n').find((l) => /Error|error/.test(l))?.trim().slice(0, 160) ?? 'failed' };
  }
}

export type StorePapersResult = {
  papers: number;
  oldBytes: number;
  logBytes: number;
  convert: ChildResult | { failed: string };
  old: ChildResult | { failed: string };
  log: ChildResult | { failed: string };
  again: ChildResult | { failed: string };
  load: string;
};

const ok = (r: ChildResult | { failed: string }): r is ChildResult => !('failed' in r);

async function parent(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-bench-papers-'));
  const log = (s: string) => {
    if (!JSON_OUT) console.log(s);
  };
  try {
    log(`machine: ${machineLine()}`);
    const papers = replicate(await loadCorpus(), PAPERS);
    let t = performance.now();
    await writeOldLayout(join(dir, 'old.json'), papers);
    const oldBytes = (await stat(join(dir, 'old.json'))).size;
    await copyFile(join(dir, 'old.json'), join(dir, 'convert.json'));
    const store = await openJsonStore(join(dir, 'new.json'), { logger: silentLogger });
    for (let i = 0; i < papers.length; i += 5000) await store.upsertPapers(papers.slice(i, i + 5000));
    await store.close();
    // Opened once more, so the backups exist as at any later start.
    await (await openJsonStore(join(dir, 'new.json'), { logger: silentLogger })).close();
    const logBytes = (await stat(join(dir, 'new.json.papers'))).size;
    log(`${PAPERS} papers: old layout ${mb(oldBytes).toFixed(0)} MB JSON, paper log ${mb(logBytes).toFixed(0)} MB (made in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const convert = runChildSync('convert', dir);
    log(`converting the old layout on open (once): ${ok(convert) ? `${convert.openMs.toFixed(0)} ms` : convert.failed}`);
    const old = runChildSync('old', dir);
    // The first open after the one that made the backups; the second also finds its saved offsets.
    const now = runChildSync('open', dir);
    const again = runChildSync('open', dir);
    log(`old layout: ${ok(old) ? `open ${old.openMs.toFixed(0)} ms, RSS ${old.rssMb.toFixed(0)} MB (heap ${old.heapMb.toFixed(0)} MB); 10 papers by id p50 ${old.getPapers10!.p50.toFixed(3)} ms p99 ${old.getPapers10!.p99.toFixed(3)} ms` : old.failed}`);
    for (const [name, r] of [['paper log', now], ['paper log, again', again]] as const) {
      log(`${name}: ${ok(r) ? `open ${r.openMs.toFixed(0)} ms, RSS ${r.rssMb.toFixed(0)} MB (heap ${r.heapMb.toFixed(0)} MB); getPapers(10) p50 ${r.getPapers10!.p50.toFixed(3)} ms p99 ${r.getPapers10!.p99.toFixed(3)} ms; one day (${r.dayPapers} papers) ${r.dayMs!.toFixed(1)} ms; allPapers ${r.allMs!.toFixed(0)} ms` : r.failed}`);
    }
    const result: StorePapersResult = { papers: PAPERS, oldBytes, logBytes, convert, old, log: now, again, load: loadavg().map((l) => l.toFixed(1)).join(' ') };
    if (JSON_OUT) console.log(JSON.stringify(result));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (CHILD && DIR) {
  child(CHILD, DIR).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exitCode = 1;
    },
  );
} else {
  parent().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  });
}
