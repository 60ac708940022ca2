/**
 * Issue 12's cost, measured as a comparison should be: the new matching and today's literal one
 * in one process, on the same papers and queries, each query timed on both back to back (the
 * order alternating), over several rounds with fresh builds (the order alternating too; each
 * build's CPU time is taken in a fresh process). The p99 of 240 queries is their third slowest: on 2 cores about one query in fifty meets
 * a spike of a few ms (a descheduled thread, a background compile) whatever the engine, enough to
 * set it. So each query runs twice per side with nothing kept in between (the resolution is paid
 * both times) and the CPU caches flushed before each run, and costs the lower of the two; the
 * single-run p99 is printed beside it; and the
 * figure is the median over the rounds of each round's ratio.
 *
 *   node --expose-gc --import tsx bench/lookup-paired.ts [--size 100000] [--queries 240] [--rounds 3] [--json]
 *
 * Resident memory is not compared here (two indexes share the heap): bench/lookup.ts measures it
 * per engine in its own process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { ours, type Engine } from './lib/lookup-engines.ts';
import { machineLine } from './lib/machine.ts';
import { lookupQueries } from './lib/queries.ts';
import { fmt, percentile, table } from './lib/stats.ts';
import { parseQuery, type ParsedQuery } from '../src/core/topics/parse.ts';
import type { Paper } from '../src/core/model/paper.ts';

export interface Side {
  buildCpuMs: number;
  /** Of each query's cost (the lower of two runs, nothing kept from the first). */
  p50: number;
  p99: number;
  /** Of each query's first run alone, and of its CPU time (all of the process's threads). */
  firstP99: number;
  cpuP99: number;
  /** The three costliest queries of the round, and the three slowest single runs. */
  slowest: string[];
  slowestFirst: string[];
}

export interface PairedRound {
  ours: Side;
  today: Side;
}

export interface PairedResult {
  size: number;
  queries: number;
  rounds: PairedRound[];
  /** Medians over the rounds of each side's figure, and of the per-round ratios. */
  median: { buildCpu: [number, number]; p50: [number, number]; p99: [number, number]; firstP99: [number, number]; buildRatio: number; p99Ratio: number; firstP99Ratio: number };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Writes a buffer bigger than the CPU's caches, so the next query reads its postings from memory as
 * a lookup in a running bot does (other work came between): a second run finding them cached would
 * favour whichever engine reads more.
 */
const flush = new Uint8Array(64 * 2 ** 20);
function evictCaches(): void {
  for (let i = 0; i < flush.length; i += 64) flush[i] = (flush[i]! + 1) & 0xff;
}
const median = (xs: number[]) => percentile(xs, 50);

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function round(papers: Paper[], queries: ParsedQuery[], warm: ParsedQuery[], oursFirst: boolean): Promise<PairedRound> {
  const sides = { ours: ours(false), today: ours(true) };
  const order: (keyof typeof sides)[] = oursFirst ? ['ours', 'today'] : ['today', 'ours'];
  // A build's CPU time is taken in a fresh process of its own: built second here, beside the other
  // index, a build paid for marking a heap twice the size (up to 1.26x one round, 1.00x the next).
  const build: Record<string, number> = {};
  for (const k of order) build[k] = buildInChild(k === 'today', papers.length);
  for (const k of order) sides[k].build(papers);
  // Warm both alike (a running bot is warm), then collect the builds' garbage before timing.
  for (const q of warm) for (const k of order) await sides[k].search(q);
  gc();
  // Each query runs twice on each side, what the side kept from the first run dropped before the
  // second: `first` is the figure a single run gives; `cost` the lower of the two, which keeps the
  // query's own cost (its resolution included) and drops a spike of the machine's (a thread
  // descheduled on 2 cores, a background compile), which rarely hits both.
  const first: Record<string, number[]> = { ours: [], today: [] };
  const cost: Record<string, number[]> = { ours: [], today: [] };
  const cpu: Record<string, number[]> = { ours: [], today: [] };
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    for (let run = 0; run < 2; run++) {
      for (const k of (i + run) % 2 === 0 ? order : [...order].reverse()) {
        const e: Engine = sides[k];
        e.forget?.();
        evictCaches();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await e.search(q);
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (run === 0) {
          first[k]!.push(ms);
          cpu[k]!.push((c.user + c.system) / 1000);
          cost[k]!.push(ms);
        } else cost[k]![i] = Math.min(cost[k]![i]!, ms);
      }
    }
  }
  const side = (k: 'ours' | 'today'): Side => ({
    buildCpuMs: build[k]!,
    p50: percentile(cost[k]!, 50),
    p99: percentile(cost[k]!, 99),
    firstP99: percentile(first[k]!, 99),
    cpuP99: percentile(cpu[k]!, 99),
    slowest: top3(cost[k]!, queries),
    slowestFirst: top3(first[k]!, queries),
  });
  return { ours: side('ours'), today: side('today') };
}

/** CPU time of one build of `size` papers in a fresh node process. */
function buildInChild(literal: boolean, size: number): number {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=6144', '--import', 'tsx', fileURLToPath(import.meta.url), '--build', literal ? 'today' : 'ours', String(size)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return Number(out.trim().split('\n').pop());
}

async function buildOnly(side: string, size: number): Promise<void> {
  const papers = replicate(await loadCorpus(), size);
  const e = ours(side === 'today');
  gc();
  process.stdout.write(`${cpuMs(() => void e.build(papers))}\n`);
}

const top3 = (ms: number[], queries: ParsedQuery[]) =>
  ms.map((t, i) => ({ t, i })).sort((a, b) => b.t - a.t).slice(0, 3).map(({ t, i }) => `${queries[i]!.source} (${fmt(t, 2)} ms)`);

export async function paired(size: number, nQueries: number, rounds: number): Promise<PairedResult> {
  const corpus = await loadCorpus();
  const papers = replicate(corpus, size);
  const queries = lookupQueries(corpus, nQueries).map((q) => parseQuery(q));
  const warm = lookupQueries(corpus, 400, 2).map((q) => parseQuery(q));
  const out: PairedRound[] = [];
  for (let r = 0; r < rounds; r++) {
    out.push(await round(papers, queries, warm, r % 2 === 0));
    gc();
    const last = out[out.length - 1]!;
    process.stderr.write(`  round ${r + 1}: build cpu ${fmt(last.ours.buildCpuMs / 1000, 2)} vs ${fmt(last.today.buildCpuMs / 1000, 2)} s, p99 ${fmt(last.ours.p99, 2)} vs ${fmt(last.today.p99, 2)} ms (single runs ${fmt(last.ours.firstP99, 2)} vs ${fmt(last.today.firstP99, 2)})\n`);
  }
  const pair = (f: (s: Side) => number): [number, number] => [median(out.map((r) => f(r.ours))), median(out.map((r) => f(r.today)))];
  const ratio = (f: (s: Side) => number) => median(out.map((r) => f(r.ours) / f(r.today)));
  return {
    size, queries: nQueries, rounds: out,
    median: {
      buildCpu: pair((s) => s.buildCpuMs), p50: pair((s) => s.p50), p99: pair((s) => s.p99), firstP99: pair((s) => s.firstP99),
      buildRatio: ratio((s) => s.buildCpuMs), p99Ratio: ratio((s) => s.p99), firstP99Ratio: ratio((s) => s.firstP99),
    },
  };
}

export function pairedLine(r: PairedResult): string {
  const m = r.median;
  return `median of ${r.rounds.length} rounds: build cpu ${fmt(m.buildCpu[0] / 1000, 2)} vs ${fmt(m.buildCpu[1] / 1000, 2)} s (${fmt(m.buildRatio, 2)}x), `
    + `p99 ${fmt(m.p99[0], 2)} vs ${fmt(m.p99[1], 2)} ms (${fmt(m.p99Ratio, 2)}x; of single runs ${fmt(m.firstP99[0], 2)} vs ${fmt(m.firstP99[1], 2)} ms, ${fmt(m.firstP99Ratio, 2)}x), `
    + `p50 ${fmt(m.p50[0], 2)} vs ${fmt(m.p50[1], 2)} ms`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  if (args[0] === '--build') return buildOnly(args[1]!, Number(args[2]));
  const r = await paired(Number(opt('size', '100000')), Number(opt('queries', '240')), Number(opt('rounds', '3')));
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  console.log(`Issue 12's cost, paired in one process: ${r.size.toLocaleString('en')} papers, ${r.queries} queries.`);
  console.log(`Machine: ${machineLine()}\n`);
  console.log(table(
    ['round', 'build cpu s (new / today)', 'ratio', 'p99 ms (new / today)', 'ratio', 'single-run p99 ms', 'ratio', 'costliest (new)'],
    r.rounds.map((x, i) => [String(i + 1), `${fmt(x.ours.buildCpuMs / 1000, 2)} / ${fmt(x.today.buildCpuMs / 1000, 2)}`, fmt(x.ours.buildCpuMs / x.today.buildCpuMs, 2),
      `${fmt(x.ours.p99, 2)} / ${fmt(x.today.p99, 2)}`, fmt(x.ours.p99 / x.today.p99, 2), `${fmt(x.ours.firstP99, 2)} / ${fmt(x.today.firstP99, 2)}`, fmt(x.ours.firstP99 / x.today.firstP99, 2), x.ours.slowest.join(', ')]),
  ));
  console.log('\nslowest single runs (new | today):');
  r.rounds.forEach((x, i) => console.log(`  ${i + 1}: ${x.ours.slowestFirst.join(', ')} | ${x.today.slowestFirst.join(', ')}`));
  console.log(`\n${pairedLine(r)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
