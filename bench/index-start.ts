/**
 * Start-up with many papers stored (issue 15), measured from outside as a user sees it: a JSON store
 * of N papers, then
 * - `npm start` (the terminal prompt): time from spawning the process to the first answered
 *   `/papers` lookup, and its resident memory then (VmRSS) and at its peak (VmHWM); first with no
 *   index on disk (a rebuild, then written), then restored from disk;
 * - `paperboy search QUERY` cold: a whole process, start to exit;
 * - in this process, on the restored index: 2,000 new papers added (searchable), then the
 *   generation written for them, with the longest event-loop stall the write caused (lookups wait
 *   that long at most).
 * Sources point at a closed local port, so nothing leaves the machine and fetches fail at once.
 *
 * With --postgres the store is a fresh PostgreSQL database (PAPERBOY_BENCH_PG_URL or 127.0.0.1:5432)
 * and the index lives in INDEX_DIR, as on a replica.
 *
 *   node --import tsx bench/index-start.ts [--papers 100000] [--runs 3] [--postgres] [--json]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../src/core/ports.ts';
import { paperLinks, type Paper } from '../src/core/model/paper.ts';
import { openKeptIndex, paperIndexFactory } from '../src/index-files/index.ts';
import { openStore } from '../src/store/index.ts';
import { adminUrl } from './lib/pg-server.ts';
import pg from 'pg';
import { numberArg } from './lib/args.ts';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { fmt } from './lib/stats.ts';

const PAPERS = numberArg('papers', 100_000);
const RUNS = numberArg('runs', 3);
const JSON_OUT = process.argv.includes('--json');
const POSTGRES = process.argv.includes('--postgres');
/** Where the store is: set once in main (a file under the temp folder, or a fresh database). */
let databaseUrl = '';
const BIN = fileURLToPath(new URL('../bin/paperboy.js', import.meta.url));
const QUERY = 'diffusion models';
const CLOSED = 'http://127.0.0.1:9';

export interface StartRun {
  /** Spawn to the first answered lookup. */
  answerMs: number;
  rssMB: number;
  peakMB: number;
  /** Input closed to process exit (the last index write included). */
  exitMs: number;
}

export interface IndexStartResult {
  papers: number;
  store: 'json' | 'postgres';
  /** JSON: its files; PostgreSQL: the database. */
  storeMB: number;
  indexMB: number;
  /** The start with no index on disk; `failed` when it could not start (the store's read of every paper). */
  rebuild: StartRun | { failed: string };
  restored: StartRun[];
  searchMs: number[];
  /** 2,000 papers into the restored index: add (searchable), then the write of a generation. */
  grow: { addMs: number; writeMs: number; stallMs: number; segments: number };
  load: string;
}

const log = (s: string) => {
  if (!JSON_OUT) console.log(s);
  else process.stderr.write(`${s}\n`);
};

function memOf(pid: number): Promise<{ rss: number; peak: number }> {
  return import('node:fs/promises').then(async ({ readFile }) => {
    const s = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN) / 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  });
}

function envFor(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    INDEX_DIR: join(dir, 'data', 'index'),
    HF_ENDPOINT: CLOSED,
    ARXIV_RSS_URL: CLOSED,
    ARXIV_API_URL: CLOSED,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
}

/** One `paperboy start` at a prompt: type a lookup, wait for its answer, then leave (Ctrl-D). */
function startOnce(dir: string): Promise<StartRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: dir, env: envFor(dir), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let answered: { answerMs: number; rssMB: number; peakMB: number } | undefined;
    let closedAt = 0;
    child.stdin.write(`/papers ${QUERY}\n`);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (answered || !out.includes('Papers matching')) return;
      const answerMs = performance.now() - t0;
      answered = { answerMs, rssMB: NaN, peakMB: NaN };
      void memOf(child.pid!).then(({ rss, peak }) => {
        answered!.rssMB = rss;
        answered!.peakMB = peak;
        closedAt = performance.now();
        child.stdin.end();
      }, reject);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (!answered || code !== 0) reject(new Error(`paperboy start: exit ${code}, answered ${Boolean(answered)}\n${err.slice(-2000)}\n${out.slice(-500)}`));
      else resolve({ ...answered, exitMs: performance.now() - closedAt });
    });
  });
}

function searchOnce(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'search', QUERY, '--json'], { cwd: dir, env: envFor(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        if (!((JSON.parse(out) as { total: number }).total > 0)) throw new Error('no hits');
        resolve(ms);
      } catch (e) {
        reject(new Error(`paperboy search: ${(e as Error).message}\n${err.slice(-2000)}`));
      }
    });
  });
}

async function dirMB(dir: string): Promise<number> {
  let bytes = 0;
  for (const n of await readdir(dir).catch(() => [] as string[])) {
    const st = await stat(join(dir, n));
    if (st.isFile()) bytes += st.size;
  }
  return bytes / 2 ** 20;
}

/** Writes the index of `papers` (what the store holds) into the folder, for the restored starts. */
async function buildHere(dir: string, papers: Paper[]): Promise<void> {
  const store = await openStore(databaseUrl, { logger: silentLogger });
  try {
    const own = { paperRevision: () => store.paperRevision(), papersChangedSince: (rev: number) => store.papersChangedSince(rev), allPapers: async () => papers };
    const kept = await openKeptIndex({ dir: join(dir, 'data', 'index'), store: own, logger: silentLogger, factory: paperIndexFactory, debounceMs: 3_600_000, merges: false });
    await kept.flush();
    await kept.close();
  } finally {
    await store.close();
  }
}

/** A day's papers into the restored index, as a fetch adds them, then their generation written. */
async function growBy(dir: string, day: Paper[]): Promise<IndexStartResult['grow']> {
  const store = await openStore(databaseUrl, { logger: silentLogger });
  const kept = await openKeptIndex({ dir: join(dir, 'data', 'index'), store, logger: silentLogger, factory: paperIndexFactory, debounceMs: 3_600_000, merges: false });
  try {
    await store.upsertPapers(day);
    let t0 = performance.now();
    kept.add(day);
    const addMs = performance.now() - t0;
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    t0 = performance.now();
    await kept.flush();
    const writeMs = performance.now() - t0;
    h.disable();
    return { addMs, writeMs, stallMs: h.max / 1e6, segments: kept.committed?.segments.length ?? 0 };
  } finally {
    await kept.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-bench-start-'));
  try {
    log(`seeding ${POSTGRES ? 'a PostgreSQL' : 'a JSON'} store with ${PAPERS} papers`);
    const papers = replicate(await loadCorpus(), PAPERS);
    if (POSTGRES) {
      const root = await adminUrl();
      const name = `paperboy_bench_index_${process.pid}`;
      await admin(root, `CREATE DATABASE ${name}`);
      const u = new URL(root);
      u.pathname = `/${name}`;
      databaseUrl = u.toString();
      dropDb = () => admin(root, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } else databaseUrl = `file:${join(dir, 'data', 'paperboy.json')}`;
    const store = await openStore(databaseUrl, { logger: silentLogger });
    for (let i = 0; i < papers.length; i += 5000) await store.upsertPapers(papers.slice(i, i + 5000));
    await store.close();
    // The JSON file and what lies beside it (the paper log), the index folder aside.
    const storeMB = POSTGRES ? await databaseMB() : await dirMB(join(dir, 'data'));
    await rm(join(dir, 'data', 'index'), { recursive: true, force: true });

    const rebuild: IndexStartResult['rebuild'] = await startOnce(dir).catch((e: Error) => ({ failed: e.message.split('\n').filter(Boolean).slice(0, 2).join(': ') }));
    if ('failed' in rebuild) {
      log(`start, no index on disk: FAILED (${rebuild.failed}); building the index in this process instead`);
      await buildHere(dir, papers);
    } else log(`start, no index on disk: answer ${fmt(rebuild.answerMs, 0)} ms, RSS ${fmt(rebuild.rssMB, 0)} MB (peak ${fmt(rebuild.peakMB, 0)}), exit ${fmt(rebuild.exitMs, 0)} ms`);
    const restored: StartRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await startOnce(dir);
      restored.push(r);
      log(`start, index on disk: answer ${fmt(r.answerMs, 0)} ms, RSS ${fmt(r.rssMB, 0)} MB (peak ${fmt(r.peakMB, 0)}), exit ${fmt(r.exitMs, 0)} ms`);
    }
    const searchMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      searchMs.push(await searchOnce(dir));
      log(`paperboy search cold: ${fmt(searchMs[i]!, 0)} ms`);
    }
    // A new day: 2,000 papers with ids never stored (the corpus' text, listed today).
    const day = papers.slice(0, 2000).map((p, i) => ({ ...p, id: `8000.${String(i).padStart(5, '0')}`, links: paperLinks(`8000.${String(i).padStart(5, '0')}`), listedOn: '2027-01-04' }));
    const grow = await growBy(dir, day);
    log(`2,000 papers added: searchable in ${fmt(grow.addMs, 0)} ms; written in ${fmt(grow.writeMs, 0)} ms, longest event-loop stall ${fmt(grow.stallMs, 0)} ms (${grow.segments} segments)`);
    const result: IndexStartResult = {
      papers: PAPERS, store: POSTGRES ? 'postgres' : 'json', storeMB, indexMB: await dirMB(join(dir, 'data', 'index')), rebuild, restored, searchMs, grow,
      load: loadavg().map((l) => l.toFixed(1)).join(' '),
    };
    log(`store ${fmt(storeMB, 0)} MB, index on disk ${fmt(result.indexMB, 0)} MB; load average ${result.load}`);
    if (JSON_OUT) console.log(JSON.stringify(result));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await dropDb?.();
  }
}

let dropDb: (() => Promise<void>) | undefined;

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function databaseMB(): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
    return Number(r.rows[0]!.b) / 2 ** 20;
  } finally {
    await c.end();
  }
}

await main();
