/**
 * "More like this" benchmark (issue 16): latency of `index.like(id)` at 10k and 100k papers, over
 * real papers of the corpus (the corpus replicated with fresh ids beyond its size), after a warm-up
 * on other papers. Wall p99 on a shared machine is mostly time descheduled: per-call CPU time is
 * printed beside it.
 *
 *   node --import tsx bench/like.ts [--sizes 10000,100000] [--calls 400] [--json]
 */
import { loadCorpus, replicate } from './lib/corpus.ts';
import { machineLine } from './lib/machine.ts';
import { fmt, percentile, rssMB, table, timed } from './lib/stats.ts';
import { PaperIndex } from '../src/core/search/index.ts';

export interface LikeResult {
  size: number;
  calls: number;
  buildCpuMs: number;
  p50: number;
  p99: number;
  cpuP50: number;
  cpuP99: number;
  meanHits: number;
  rssMB: number;
  load: string;
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};

async function main(): Promise<void> {
  const sizes = opt('sizes', '10000,100000').split(',').map(Number);
  const calls = Number(opt('calls', '400'));
  const corpus = await loadCorpus();
  const results: LikeResult[] = [];
  for (const size of sizes) {
    const papers = replicate(corpus, size);
    const build = timed(() => new PaperIndex(papers));
    const index = build.value;
    // Deterministic spread of papers over the whole index; the warm-up uses others.
    const pick = (n: number, offset: number) => Array.from({ length: n }, (_, i) => papers[(i * 7919 + offset) % papers.length]!.id);
    for (const id of pick(100, 13)) index.like(id);
    const lat: number[] = [];
    const cpu: number[] = [];
    let hits = 0;
    for (const id of pick(calls, 0)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = index.like(id, { limit: 5 });
      lat.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      hits += r?.hits.length ?? 0;
    }
    results.push({
      size, calls, buildCpuMs: build.cpuMs, p50: percentile(lat, 50), p99: percentile(lat, 99), cpuP50: percentile(cpu, 50), cpuP99: percentile(cpu, 99),
      meanHits: hits / calls, rssMB: rssMB(), load: machineLine().replace(/.*load average /, ''),
    });
  }
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(results) + '\n');
    return;
  }
  console.log(`More like this: ${calls} calls per size on corpus papers; ${machineLine()}\n`);
  console.log(table(['papers', 'build cpu s', 'p50 ms', 'p99 ms', 'p50 cpu ms', 'p99 cpu ms', 'hits', 'RSS MB', 'load'],
    results.map((r) => [String(r.size), fmt(r.buildCpuMs / 1000, 2), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.cpuP50, 2), fmt(r.cpuP99, 2), fmt(r.meanHits, 1), fmt(r.rssMB, 0), r.load])));
}

await main();
