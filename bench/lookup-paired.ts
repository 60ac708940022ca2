/**
 * Issue 12's cost, measured as a comparison should be: the new matching and today's literal one
 * in one process, on the same papers and queries, each query timed on both back to back (the
 * order alternating), over several rounds with fresh builds (the order of the builds alternating
 * too). The p99 of 240 queries is their third slowest: one query that meets a GC or a compile
 * moves it, so each round's ratio is reported and the median of the rounds is the figure.
 *
 *   node --expose-gc --import tsx bench/lookup-paired.ts [--size 100000] [--queries 240] [--rounds 3] [--json]
 *
 * Resident memory is not compared here (two indexes share the heap): bench/lookup.ts measures it
 * per engine in its own process.
 */
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
  p50: number;
  p99: number;
  cpuP99: number;
  /** The three slowest queries of the round (wall time). */
  slowest: string[];
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
  median: { buildCpu: [number, number]; p50: [number, number]; p99: [number, number]; cpuP99: [number, number]; buildRatio: number; p99Ratio: number; cpuP99Ratio: number };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();
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
  const build: Record<string, number> = {};
  for (const k of order) {
    gc();
    build[k] = cpuMs(() => void sides[k].build(papers));
  }
  // Warm both alike (a running bot is warm), then collect the builds' garbage before timing.
  for (const q of warm) for (const k of order) await sides[k].search(q);
  gc();
  const wall: Record<string, number[]> = { ours: [], today: [] };
  const cpu: Record<string, number[]> = { ours: [], today: [] };
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    for (const k of i % 2 === 0 ? order : [...order].reverse()) {
      const e: Engine = sides[k];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await e.search(q);
      wall[k]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k]!.push((c.user + c.system) / 1000);
    }
  }
  const side = (k: 'ours' | 'today'): Side => ({
    buildCpuMs: build[k]!,
    p50: percentile(wall[k]!, 50),
    p99: percentile(wall[k]!, 99),
    cpuP99: percentile(cpu[k]!, 99),
    slowest: wall[k]!.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, 3).map(({ ms, i }) => `${queries[i]!.source} (${fmt(ms, 2)} ms)`),
  });
  return { ours: side('ours'), today: side('today') };
}

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
    process.stderr.write(`  round ${r + 1}: build cpu ${fmt(last.ours.buildCpuMs / 1000, 2)} vs ${fmt(last.today.buildCpuMs / 1000, 2)} s, p99 ${fmt(last.ours.p99, 2)} vs ${fmt(last.today.p99, 2)} ms\n`);
  }
  const pair = (f: (s: Side) => number): [number, number] => [median(out.map((r) => f(r.ours))), median(out.map((r) => f(r.today)))];
  const ratio = (f: (s: Side) => number) => median(out.map((r) => f(r.ours) / f(r.today)));
  return {
    size, queries: nQueries, rounds: out,
    median: {
      buildCpu: pair((s) => s.buildCpuMs), p50: pair((s) => s.p50), p99: pair((s) => s.p99), cpuP99: pair((s) => s.cpuP99),
      buildRatio: ratio((s) => s.buildCpuMs), p99Ratio: ratio((s) => s.p99), cpuP99Ratio: ratio((s) => s.cpuP99),
    },
  };
}

export function pairedLine(r: PairedResult): string {
  const m = r.median;
  return `median of ${r.rounds.length} rounds: build cpu ${fmt(m.buildCpu[0] / 1000, 2)} vs ${fmt(m.buildCpu[1] / 1000, 2)} s (${fmt(m.buildRatio, 2)}x), `
    + `p99 ${fmt(m.p99[0], 2)} vs ${fmt(m.p99[1], 2)} ms (${fmt(m.p99Ratio, 2)}x; cpu ${fmt(m.cpuP99Ratio, 2)}x), p50 ${fmt(m.p50[0], 2)} vs ${fmt(m.p50[1], 2)} ms`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const r = await paired(Number(opt('size', '100000')), Number(opt('queries', '240')), Number(opt('rounds', '3')));
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  console.log(`Issue 12's cost, paired in one process: ${r.size.toLocaleString('en')} papers, ${r.queries} queries.`);
  console.log(`Machine: ${machineLine()}\n`);
  console.log(table(
    ['round', 'build cpu s (new / today)', 'ratio', 'p99 ms (new / today)', 'ratio', 'p99 cpu ratio', 'slowest (new)'],
    r.rounds.map((x, i) => [String(i + 1), `${fmt(x.ours.buildCpuMs / 1000, 2)} / ${fmt(x.today.buildCpuMs / 1000, 2)}`, fmt(x.ours.buildCpuMs / x.today.buildCpuMs, 2),
      `${fmt(x.ours.p99, 2)} / ${fmt(x.today.p99, 2)}`, fmt(x.ours.p99 / x.today.p99, 2), fmt(x.ours.cpuP99 / x.today.cpuP99, 2), x.ours.slowest.join(', ')]),
  ));
  console.log(`\n${pairedLine(r)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
