/**
 * Lookup benchmark (issue 6, point 1): build time, p50/p99 query latency over real queries, and
 * resident memory at 10k and 100k papers, for Paperboy's index beside a substring scan,
 * MiniSearch 7, FlexSearch 0.8 and PostgreSQL's full-text search (GIN, websearch_to_tsquery; see
 * lib/lookup-postgres.ts), with the overlap of their top 10s with ours.
 *
 *   node --import tsx bench/lookup.ts [--sizes 10000,100000] [--queries 240] [--skip minisearch@100000,flexsearch@100000]
 *
 * MiniSearch and FlexSearch need minutes to build 100k papers on a small machine: skip them there
 * with --skip (engine, or engine@size).
 *
 * Each engine and size runs in its own child process so memory figures do not mix. Wall times on a
 * shared machine are noisy; CPU time of the build is printed beside them.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { ENGINES } from './lib/lookup-engines.ts';
import { machineLine } from './lib/machine.ts';
import { lookupQueries } from './lib/queries.ts';
import { fmt, liveMB, overlap, percentile, rssMB, table } from './lib/stats.ts';
import { parseQuery } from '../src/core/topics/parse.ts';

interface Result {
  engine: string;
  size: number;
  buildMs: number;
  buildCpuMs: number;
  rssMB: number;
  indexMB: number;
  p50: number;
  p99: number;
  /** p99 of per-query CPU time: on a shared machine, wall p99 is mostly time spent descheduled. */
  cpuP99: number;
  meanMatches: number;
  top: string[][];
  /** The three queries that took the most CPU time, slowest first (what the p99 is made of). */
  slowest: string[];
  /** A server engine's own figures (PostgreSQL: its backend's CPU for the build, sizes on disk). */
  server?: { buildCpuMs: number; tableMB: number; indexMB: number };
}

async function child(engineKey: string, size: number, nQueries: number): Promise<void> {
  const corpus = await loadCorpus();
  const papers = replicate(corpus, size);
  const queries = lookupQueries(corpus, nQueries).map((q) => parseQuery(q));
  const engine = ENGINES[engineKey]!();
  try {
    const before = liveMB();
    const build = await timedAsync(() => engine.build(papers));
    const after = liveMB();
    // Warm the JIT with other queries (another seed, every kind 50 times): a running bot is warm, and
    // per-query CPU time counts the compiler's background threads, which otherwise make the p99.
    for (const q of lookupQueries(corpus, 400, 2)) await engine.search(parseQuery(q));
    // The build's garbage is collected before timing, for every engine alike: otherwise one query
    // pays for a major GC of the build's leftovers.
    (globalThis as { gc?: () => void }).gc?.();
    const lat: number[] = [];
    const cpu: number[] = [];
    const top: string[][] = [];
    let matches = 0;
    for (const q of queries) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await engine.search(q);
      lat.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      top.push(r.ids);
      matches += r.total;
    }
    const server = engine.serverStats?.();
    const result: Result = {
      engine: engine.name, size, buildMs: build.wallMs, buildCpuMs: build.cpuMs, rssMB: rssMB(),
      indexMB: after - before, p50: percentile(lat, 50), p99: percentile(lat, 99), cpuP99: percentile(cpu, 99), meanMatches: matches / queries.length, top,
      slowest: cpu.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, 3).map(({ ms, i }) => `${queries[i]!.source} (${fmt(ms, 1)} ms cpu)`),
      ...(server ? { server } : {}),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await engine.close?.();
  }
}

/** Wall and CPU time of a step that may be asynchronous. */
async function timedAsync(fn: () => void | Promise<void>): Promise<{ wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}


async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  if (args[0] === '--child') return child(args[1]!, Number(args[2]), Number(args[3]));
  const sizes = opt('sizes', '10000,100000').split(',').map(Number);
  const nQueries = Number(opt('queries', '240'));
  const skip = new Set(opt('skip', '').split(',').filter(Boolean));
  const self = fileURLToPath(import.meta.url);
  console.log(`Lookup benchmark: ${nQueries} queries generated from the corpus; corpus replicated with fresh ids.`);
  console.log(`Machine: ${machineLine()}\n`);
  for (const size of sizes) {
    const results: Result[] = [];
    for (const key of Object.keys(ENGINES)) {
      if (skip.has(key) || skip.has(`${key}@${size}`)) {
        console.log(`(skipped ${key} at ${size})`);
        continue;
      }
      process.stderr.write(`running ${key} at ${size}...\n`);
      const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', self, '--child', key, String(size), String(nQueries)], {
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const r = JSON.parse(out.trim().split('\n').pop()!) as Result;
      results.push(r);
      // Progress line as each run ends, so a long run that is stopped still leaves figures.
      process.stderr.write(`  ${r.engine} @${size}: build ${fmt(r.buildMs / 1000, 2)} s (cpu ${fmt(r.buildCpuMs / 1000, 2)} s), p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (cpu ${fmt(r.cpuP99, 2)} ms), RSS ${fmt(r.rssMB, 0)} MB\n    slowest: ${r.slowest.join(', ')}\n`);
    }
    const base = results.find((r) => r.engine === 'paperboy');
    console.log(`\n${size.toLocaleString('en')} papers`);
    console.log(table(
      ['engine', 'build s', 'build cpu s', 'p50 ms', 'p99 ms', 'p99 cpu ms', 'p99 vs ours', 'RSS MB', 'index MB', 'avg matches', 'top-10 overlap %'],
      results.map((r) => [
        // A server engine's build CPU is its backend's, and its index is on disk (GIN index / table with vectors).
        r.engine, fmt(r.buildMs / 1000, 2), fmt((r.server?.buildCpuMs ?? r.buildCpuMs) / 1000, 2), fmt(r.p50, 2), fmt(r.p99, 2), r.server ? 'server' : fmt(r.cpuP99, 2),
        base ? `${fmt(r.p99 / base.p99, 1)}x` : '-', fmt(r.rssMB, 0), r.server ? `${fmt(r.server.indexMB, 0)} disk (table ${fmt(r.server.tableMB, 0)})` : fmt(r.indexMB, 0), fmt(r.meanMatches, 0),
        base ? fmt(overlap(base.top, r.top), 0) : '-',
      ]),
    ));
  }
}

await main();
