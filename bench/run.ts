/**
 * `npm run bench`: every benchmark of issue 6 in one go, each script in its own node process,
 * printed as one table with the machine it ran on and the targets beside the figures.
 *
 *   npm run bench [-- --quick] [-- --full] [-- --only lookup,index-volume,like,relevance,fanout,fanout-pgboss,delivery,store,store-papers,commands,arxiv,index-start,index-start-pg]
 *
 * --quick shrinks every size (a smoke run of the whole suite in a couple of minutes).
 * --full adds MiniSearch and FlexSearch at 100k papers (minutes each on a small machine; without
 * it they run at 10k only). Benchmarks are not tests: nothing here fails on a slow figure.
 */
import os from 'node:os';
import { lastJson, runChild } from './lib/child.ts';
import { ENGINES } from './lib/lookup-engines.ts';
import { machineInfo } from './lib/machine.ts';
import { fmt, overlap } from './lib/stats.ts';
import type { FanoutResult } from './fanout.ts';
import type { PgBossFanoutResult } from './fanout-pgboss.ts';
import type { DeliveryResult } from './delivery.ts';
import type { CommandsResult } from './commands.ts';
import type { LikeResult } from './like.ts';
import type { RelevanceResult } from './relevance.ts';
import type { ArxivFeedResult } from './arxiv-feed.ts';
import type { IndexStartResult } from './index-start.ts';
import { volumeLine, type VolumeResult } from './index-volume.ts';
import type { StorePapersResult } from './store-papers.ts';
import { pairedLine, type PairedResult } from './lookup-paired.ts';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const FULL = argv.includes('--full');
const onlyAt = argv.indexOf('--only');
const ONLY = new Set(onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : ['lookup', 'index-volume', 'like', 'relevance', 'fanout', 'fanout-pgboss', 'delivery', 'store', 'store-papers', 'commands', 'arxiv', 'index-start', 'index-start-pg']);

type Row = [bench: string, kase: string, figures: string, target: string, met: string];
const rows: Row[] = [];
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const ms = (x: number, d = 1) => `${fmt(x, d)} ms`;
/** Left-aligned text table (the figures are prose-like). */
const table = (head: string[], body: string[][]): string => {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
};
const fail = (bench: string, e: unknown) => rows.push([bench, 'failed', e instanceof Error ? e.message : String(e), '', '']);

interface LookupChild {
  engine: string; size: number; buildMs: number; buildCpuMs: number; rssMB: number; indexMB: number; p50: number; p99: number; cpuP99: number; meanMatches: number; top: string[][];
  server?: { buildCpuMs: number; tableMB: number; indexMB: number };
}


async function lookup(): Promise<void> {
  // 500k (arXiv volume) runs our index and PostgreSQL's only: the libraries need far too long there.
  const sizes = QUICK ? [2000, 10000] : [10_000, 100_000, 500_000];
  const queries = QUICK ? 100 : 240;
  for (const size of sizes) {
    const results: LookupChild[] = [];
    for (const key of Object.keys(ENGINES)) {
      const heavy = (key === 'minisearch' || key === 'flexsearch') && size > 10_000;
      if (size > 100_000 && key !== 'paperboy' && key !== 'postgres') continue;
      if (heavy && !FULL) {
        rows.push(['lookup', `${key} @${size / 1000}k`, 'skipped (minutes to build here; npm run bench -- --full)', '', '']);
        continue;
      }
      process.stderr.write(`lookup: ${key} at ${size}\n`);
      try {
        const out = await runChild('lookup.ts', ['--child', key, String(size), String(queries)], {
          timeoutMs: heavy || size > 100_000 ? 900_000 : 240_000, nodeArgs: ['--expose-gc', '--max-old-space-size=6144'],
        });
        results.push(lastJson<LookupChild>(out));
      } catch (e) {
        fail('lookup', e);
      }
    }
    const ours = results.find((r) => r.engine === 'paperboy');
    const today = results.find((r) => r.engine.includes('literal'));
    for (const r of results) {
      const isOurs = r === ours;
      const vs = ours && !isOurs ? `, p99 ${fmt(r.p99 / ours.p99, 1)}x ours, top-10 overlap ${fmt(overlap(ours.top, r.top), 0)}%` : '';
      const size$ = r.server
        ? `server cpu ${fmt(r.server.buildCpuMs / 1000, 2)} s; GIN index ${fmt(r.server.indexMB, 0)} MB, table with vectors ${fmt(r.server.tableMB, 0)} MB on disk`
        : `cpu ${fmt(r.buildCpuMs / 1000, 2)} s; p99 cpu ${ms(r.cpuP99, 2)}; index heap ${fmt(r.indexMB, 0)} MB, RSS ${fmt(r.rssMB, 0)} MB`;
      const figures = `build ${fmt(r.buildMs / 1000, 2)} s (${size$}), p50 ${ms(r.p50, 2)}, p99 ${ms(r.p99, 2)}${vs}`;
      // Issue 15's targets: build <= 3 s at 100k, p99 <= 5 ms (CPU time) at 500k.
      const target = isOurs && size === 100_000 ? 'build <= 3 s' : isOurs && size === 500_000 ? 'p99 cpu <= 5 ms' : '';
      const met = !target ? '' : size === 100_000 ? yes(r.buildCpuMs <= 3000) : yes(r.cpuP99 <= 5);
      rows.push(['lookup', `${r.engine} @${size / 1000}k`, figures, target, met]);
    }
    if (today && size === (QUICK ? 10_000 : 100_000)) await matchingCost(size);
  }
}

/** Issue 12: the new matching's cost beside today's literal one, paired in one process (lookup-paired.ts). */
async function matchingCost(size: number): Promise<void> {
  process.stderr.write(`lookup: new vs today's matching, paired, at ${size}\n`);
  try {
    const out = await runChild('lookup-paired.ts', ['--size', String(size), '--rounds', QUICK ? '1' : '5', '--json'], { timeoutMs: 900_000, nodeArgs: ['--expose-gc', '--max-old-space-size=6144'] });
    const r = lastJson<PairedResult>(out);
    const m = r.median;
    rows.push(['lookup', `new vs today's matching @${size / 1000}k`, pairedLine(r), "build cpu and p99 <= 1.25x today's", yes(m.buildRatio <= 1.25 && m.p99Ratio <= 1.25)]);
  } catch (e) {
    fail('lookup', e);
  }
}

/** Issue 15: the index as segments at 100k and 500k papers (build, a day's add, merges, restore). */
async function indexVolume(): Promise<void> {
  process.stderr.write('index volume\n');
  const sizes = QUICK ? '10000,50000' : '100000,500000';
  const out = await runChild('index-volume.ts', ['--sizes', sizes, '--queries', QUICK ? '100' : '240', '--json'], { timeoutMs: 3_600_000 });
  for (const r of lastJson<VolumeResult[]>(out)) {
    const big = r.size >= 500_000;
    const target = big ? 'add 2,000 <= 300 ms; p99 cpu <= 5 ms; restore < 1 s' : r.size >= 100_000 ? 'build cpu <= 3 s; restore < 1 s' : '';
    const met = big ? yes(r.add.ms <= 300 && r.lookup.cpuP99 <= 5 && r.restore.ms < 1000 && r.restore.same) : r.size >= 100_000 ? yes(r.buildCpuMs <= 3000 && r.restore.ms < 1000 && r.restore.same) : '';
    rows.push(['index volume', `${r.size / 1000}k papers`, volumeLine(r), target, met]);
  }
}

async function like(): Promise<void> {
  process.stderr.write('more like this\n');
  const sizes = QUICK ? '2000,10000' : '10000,100000';
  const out = await runChild('like.ts', ['--sizes', sizes, '--calls', QUICK ? '100' : '400', '--json'], { timeoutMs: 300_000, nodeArgs: ['--max-old-space-size=4096'] });
  for (const r of lastJson<LikeResult[]>(out)) {
    const targeted = r.size >= 100_000;
    rows.push(['like', `more like this @${r.size / 1000}k`, `p50 ${ms(r.p50, 2)}, p99 ${ms(r.p99, 2)} (cpu p50 ${ms(r.cpuP50, 2)}, p99 ${ms(r.cpuP99, 2)}) over ${r.calls} papers, ${fmt(r.meanHits, 1)} hits each`,
      targeted ? 'p99 <= 20 ms' : '', targeted ? yes(r.p99 <= 20) : '']);
  }
}

/** Issue 12: the judged set, per family, the new matcher beside today's literal one. */
async function relevance(): Promise<void> {
  process.stderr.write('relevance\n');
  const out = await runChild('relevance.ts', ['--json'], { timeoutMs: 240_000, nodeArgs: ['--max-old-space-size=4096'] });
  const r = lastJson<RelevanceResult>(out);
  const p = (x: number) => fmt(x, 3);
  for (const f of r.families) {
    const n = f.now;
    const phrase = Number.isFinite(n.minPhrasePrecision) ? `, min multi-word P ${p(n.minPhrasePrecision)}` : '';
    const all = f.family === 'all';
    rows.push(['relevance', `${f.family} (${f.topics} topics)`,
      `R ${p(n.macroRecall)} (today ${p(f.today.macroRecall)}), other-form R ${p(n.otherFormRecall)} (today ${p(f.today.otherFormRecall)}), P ${p(n.macroPrecision)} (today ${p(f.today.macroPrecision)})${phrase}, drift ${n.driftHits}`,
      all ? 'R >= 0.97, other-form R >= 0.90, P >= 0.95, multi-word P >= 0.90, drift 0' : '',
      all ? yes(n.macroRecall >= 0.97 && n.otherFormRecall >= 0.9 && n.macroPrecision >= 0.95 && n.minPhrasePrecision >= 0.9 && n.driftHits === 0) : '']);
  }
}

async function fanout(): Promise<void> {
  process.stderr.write('fan-out\n');
  const args = QUICK ? ['--subs', '10000', '--topics', '2000', '--sample', '0.05', '--sample-dest', '0.005'] : ['--sample', '0.02', '--sample-dest', '0.001'];
  const out = await runChild('fanout.ts', [...args, '--json'], { timeoutMs: 300_000 });
  for (const r of lastJson<FanoutResult[]>(out)) {
    rows.push(['fan-out', `${r.subscriptions / 1000}k subs / ${r.distinctTopics} topics, ${r.window} (${r.papers} papers)`,
      `shared ${ms(r.sharedMs, 0)} (cpu ${ms(r.sharedCpuMs, 0)}), naive ${ms(r.naiveMs, 0)} (cpu ${ms(r.naiveCpuMs, 0)}; ${fmt(r.naiveCpuMs / r.sharedCpuMs, 1)}x in cpu), per-destination as buildDigest ${ms(r.perDestMs, 0)}; ` +
      `identical ${r.identical ? 'yes' : `NO (${r.mismatches})`}; naive/per-dest timed on ${fmt(r.sample * 100, 1)}%/${fmt(r.sampleDest * 100, 1)}% of destinations`,
      // Judged on CPU time: on a shared machine wall time measures the neighbours.
      '<= 500 ms cpu, >= 20x naive', yes(r.sharedCpuMs <= 500 && r.naiveCpuMs / r.sharedCpuMs >= 20 && r.identical)]);
  }
}

/** The same subscriptions through the real pg-boss runner on PostgreSQL: batched digest jobs beside one destination per job. */
async function fanoutPgBoss(): Promise<void> {
  process.stderr.write('fan-out through pg-boss\n');
  const args = QUICK ? ['--subs', '4000', '--topics', '2000', '--single', '400'] : ['--subs', '100000', '--topics', '10000', '--single', '1000'];
  const out = await runChild('fanout-pgboss.ts', [...args, '--json'], { timeoutMs: 3_600_000 });
  const r = lastJson<PgBossFanoutResult>(out);
  const [a, b] = r.runs;
  if (!a || !b) throw new Error('fan-out through pg-boss gave no runs');
  const per = (x: typeof a) => (1000 * x.cpuMs) / x.destinations;
  rows.push(['fan-out', `through pg-boss, ${r.subscriptions / 1000}k subs / ${r.distinctTopics} topics, day ${r.day} (${r.papers} papers)`,
    `${a.way}: ${a.destinations} destinations in ${a.jobs} jobs (${a.failed} failed, retried later), ${fmt(a.wallMs / 1000, 1)} s wall, cpu ${fmt(a.cpuMs / 1000, 1)} s (${fmt(per(a), 0)} µs each); ` +
    `${b.way} on ${b.destinations}: ${fmt(per(b), 0)} µs cpu each = ${fmt(per(b) / per(a), 1)}x batched; load ${r.load}`,
    '<= 500 ms', yes(a.wallMs <= 500)]);
}

async function delivery(): Promise<void> {
  process.stderr.write('delivery\n');
  const out = await runChild('delivery.ts', ['--digests', QUICK ? '100' : '1000', '--json'], { timeoutMs: 420_000 });
  for (const r of lastJson<DeliveryResult[]>(out)) {
    const ratio = r.floorSeconds >= 0.5 ? r.seconds / r.floorSeconds : Number.NaN;
    rows.push(['delivery', `${r.digests} ${r.platform} channel digests`,
      `${fmt(r.seconds, 1)} s (cpu ${fmt(r.cpuSeconds, 1)} s) vs floor ${fmt(r.floorSeconds, 1)} s = ${fmt(ratio, 2)}x; 429s ${r.rateLimited}, lost ${r.lost}, duplicated ${r.duplicated}; sent ${r.sent}, failed ${r.failed}, ${r.requests} requests (${r.limits})`,
      '<= 1.15x floor, 0 lost, 0 dup', yes(ratio <= 1.15 && r.lost === 0 && r.duplicated === 0)]);
  }
}

interface StoreOut {
  seedMs?: number; fileBytes?: number; databaseMb?: number;
  coldStart: { openMs: number; listUsersMs: number; users: number };
  load: { commands: number; failed: number; latency: Record<string, { p50: number; p99: number }> };
}

async function store(): Promise<void> {
  const subs = QUICK ? '10000' : '100000';
  // Every paper Daily Papers has listed so far is about 10k; subscribers are what grows.
  const papers = '10000';
  for (const [name, file] of [['JSON (lowdb)', 'store-json.ts'], ['PostgreSQL', 'store-postgres.ts']] as const) {
    process.stderr.write(`store: ${name}\n`);
    try {
      const out = await runChild(file, ['--subs', subs, '--papers', papers, '--seconds', QUICK ? '5' : '10', '--json'], { timeoutMs: 300_000 });
      const r = lastJson<StoreOut>(out);
      const sub = r.load.latency.subscribe!;
      const size = r.fileBytes !== undefined ? `file ${fmt(r.fileBytes / 2 ** 20, 1)} MB` : `database ${fmt(r.databaseMb ?? NaN, 1)} MB`;
      rows.push(['store', `${name}, ${Number(subs) / 1000}k subscribers, ${Number(papers) / 1000}k papers`,
        `cold start ${ms(r.coldStart.openMs + r.coldStart.listUsersMs, 0)}; subscribe p50 ${ms(sub.p50, 2)}, p99 ${ms(sub.p99, 2)} at 100 cmd/s (${r.load.commands} cmds, ${r.load.failed} failed); ${size}`,
        'subscribe p99 <= 50 ms', yes(sub.p99 <= 50)]);
    } catch (e) {
      fail('store', e);
    }
  }
}

/** Issue 15: the JSON store's papers out of memory (paper log) beside the old layout, at 100k and 500k. */
async function storePapers(): Promise<void> {
  for (const size of QUICK ? [10_000] : [100_000, 500_000]) {
    process.stderr.write(`store papers: ${size}\n`);
    const r = lastJson<StorePapersResult>(await runChild('store-papers.ts', ['--papers', String(size), '--json'], { timeoutMs: 3_600_000 }));
    const k = `${size / 1000}k papers`;
    const told = (x: StorePapersResult['log']) =>
      'failed' in x ? x.failed : `open ${ms(x.openMs, 0)}, RSS ${fmt(x.rssMb, 0)} MB; getPapers(10) p50 ${ms(x.getPapers10!.p50, 2)} p99 ${ms(x.getPapers10!.p99, 2)}${x.dayMs !== undefined ? `; one day (${x.dayPapers}) ${ms(x.dayMs, 0)}; allPapers ${ms(x.allMs!, 0)}` : ''}`;
    rows.push(['store', `JSON paper log, ${k} (${fmt(r.logBytes / 2 ** 20, 0)} MB)`, `${told(r.again)}; load ${r.load}`, 'open <= 1 s, RSS <= 400 MB', 'failed' in r.again ? 'NO' : yes(r.again.openMs <= 1000 && r.again.rssMb <= 400)]);
    rows.push(['store', `JSON old layout (all in memory), ${k} (${fmt(r.oldBytes / 2 ** 20, 0)} MB)`, `${told(r.old)}; converted to the paper log once: ${'failed' in r.convert ? r.convert.failed : ms(r.convert.openMs, 0)}`, 'before', '']);
  }
}

/** Issue 14: a busy arXiv day (2,000 items) parsed, merged into the store and indexed. */
async function arxivFeed(): Promise<void> {
  process.stderr.write('arxiv feed\n');
  const out = await runChild('arxiv-feed.ts', ['--items', '2000', '--rounds', QUICK ? '2' : '5', '--json'], { timeoutMs: 120_000, nodeArgs: ['--expose-gc'] });
  const r = lastJson<ArxivFeedResult>(out);
  rows.push(['arxiv', `announcement feed of ${r.items} items (${fmt(r.bytes / 2 ** 20, 1)} MB)`,
    `parse ${ms(r.parseMs)} (cpu ${ms(r.parseCpuMs)}), parse + merge + index ${ms(r.mergeMs)} (cpu ${ms(r.mergeCpuMs)}); parsed feed ${fmt(r.heapMB, 1)} MB heap, peak RSS ${fmt(r.rssMB, 0)} MB`,
    'merge cpu <= 2 s, RSS <= 400 MB', yes(r.mergeCpuMs <= 2000 && r.rssMB <= 400)]);
}

async function commands(): Promise<void> {
  process.stderr.write('commands\n');
  const out = await runChild('commands.ts', ['--rate', '50', '--seconds', QUICK ? '3' : '10', '--json'], { timeoutMs: 240_000 });
  for (const r of lastJson<CommandsResult[]>(out)) {
    rows.push(['commands', `${r.platform} at ${r.rate}/s (/papers and /topics add)`,
      `ack p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; cpu ${ms(r.cpuMsPerCommand, 2)} per command (bot, stand-in and load generator); ${r.acked}/${r.sent} acked, ${r.failed} failed`, 'ack p99 <= 100 ms', yes(r.p99 <= 100 && r.failed === 0)]);
  }
}

/** Issue 15: a start and a cold CLI search with 100k papers in the JSON store, restored from the index on disk. */
async function indexStart(): Promise<void> {
  process.stderr.write('index start\n');
  const papers = QUICK ? '10000' : '100000';
  const out = await runChild('index-start.ts', ['--papers', papers, '--runs', '3', '--json'], { timeoutMs: 1_800_000 });
  const r = lastJson<IndexStartResult>(out);
  indexStartRows(r, '<= 2 s, RSS <= 400 MB', 2000, 400);
}

/** Issue 15: a replica's start with 500k papers in PostgreSQL, its index restored from INDEX_DIR. */
async function indexStartPg(): Promise<void> {
  process.stderr.write('index start on PostgreSQL\n');
  const papers = QUICK ? '10000' : '500000';
  const out = await runChild('index-start.ts', ['--papers', papers, '--runs', '2', '--postgres', '--json'], { timeoutMs: 3_600_000, nodeArgs: ['--max-old-space-size=6144'] });
  indexStartRows(lastJson<IndexStartResult>(out), '<= 5 s, RSS <= 1.2 GB', 5000, 1229);
}

function indexStartRows(r: IndexStartResult, target: string, maxMs: number, maxMB: number): void {
  const best = r.restored.reduce((a, b) => (b.answerMs < a.answerMs ? b : a));
  const search = Math.min(...r.searchMs);
  const k = `${r.papers / 1000}k`;
  rows.push(['index', `npm start, ${k} papers (${r.store === 'postgres' ? 'PostgreSQL' : 'JSON store'} ${fmt(r.storeMB, 0)} MB, index ${fmt(r.indexMB, 0)} MB)`,
    `restored: first lookup ${ms(best.answerMs, 0)}, RSS ${fmt(best.rssMB, 0)} MB (peak ${fmt(best.peakMB, 0)}); rebuilt (no index on disk): ${'failed' in r.rebuild ? `FAILED (${r.rebuild.failed})` : `${ms(r.rebuild.answerMs, 0)}, RSS ${fmt(r.rebuild.rssMB, 0)} MB`}; load ${r.load}`,
    target, yes(best.answerMs <= maxMs && best.rssMB <= maxMB)]);
  if (r.store === 'postgres') return;
  rows.push(['index', `paperboy search cold, ${k} papers`, `best ${ms(search, 0)} of ${r.searchMs.map((x) => fmt(x, 0)).join(', ')} ms`, '<= 1 s', yes(search <= 1000)]);
  rows.push(['index', `2,000 papers into the restored ${k} index`, `searchable in ${ms(r.grow.addMs, 0)}; generation written in ${ms(r.grow.writeMs, 0)}, longest event-loop stall ${ms(r.grow.stallMs, 0)}`, '', '']);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const m = machineInfo();
  const steps: [string, () => Promise<void>][] = [['lookup', lookup], ['index-volume', indexVolume], ['like', like], ['relevance', relevance], ['fanout', fanout], ['fanout-pgboss', fanoutPgBoss], ['delivery', delivery], ['store', store], ['store-papers', storePapers], ['commands', commands], ['arxiv', arxivFeed], ['index-start', indexStart], ['index-start-pg', indexStartPg]];
  for (const [name, step] of steps) {
    if (!ONLY.has(name)) continue;
    await step().catch((e: unknown) => fail(name, e));
  }
  const minutes = (performance.now() - t0) / 60_000;
  console.log(`\nPaperboy benchmarks${QUICK ? ' (--quick sizes)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB (${fmt(os.freemem() / 2 ** 30, 1)} GB free), Node ${m.node}`);
  console.log(`load average at start ${m.load}, at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; total ${fmt(minutes, 1)} min\n`);
  console.log(table(['benchmark', 'case', 'figures', 'target', 'met'], rows));
}

await main();
