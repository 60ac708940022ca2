/**
 * Time and memory to read a busy arXiv day: a 2,000-item announcement feed (generated from the real
 * cs.CL and quant-ph days, test/support/arxiv-generated.ts) parsed, turned into papers, merged into
 * a memory store that already holds the Hugging Face corpus's papers of that id range, and indexed.
 *
 *   node --import tsx bench/arxiv-feed.ts [--items 2000] [--rounds 5] [--json]
 */
import { announcedPaper, parseAnnouncement } from '../src/core/sources/arxiv/index.ts';
import { createSearchIndex } from '../src/core/search/index.ts';
import { createMemoryStore } from '../src/store/index.ts';
import { generatedFeed } from '../test/support/arxiv-generated.ts';
import { numberArg } from './lib/args.ts';
import { machineLine } from './lib/machine.ts';
import { fmt } from './lib/stats.ts';

export interface ArxivFeedResult {
  items: number;
  bytes: number;
  rounds: number;
  /** Best round, ms: parse only, then parse + papers + store merge + index. */
  parseMs: number;
  parseCpuMs: number;
  mergeMs: number;
  mergeCpuMs: number;
  /** Heap held by the parsed announcement (after GC), and peak RSS of the process. */
  heapMB: number;
  rssMB: number;
  load: string;
}

const argv = process.argv.slice(2);

/** Holds a parsed feed across the heap measurement. */
let kept: ReturnType<typeof parseAnnouncement> | undefined;

function cpuMs(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function main(): Promise<void> {
  const items = numberArg('items', 2000);
  const rounds = numberArg('rounds', 5);
  const xml = generatedFeed(items);
  const gc = (globalThis as { gc?: () => void }).gc;
  let parseMs = Infinity, parseCpuMs = Infinity, mergeMs = Infinity, mergeCpuMs = Infinity, heapMB = 0;
  for (let r = 0; r < rounds + 1; r++) {
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    kept = parseAnnouncement(xml);
    const pw = performance.now() - t0;
    const pc = cpuMs(c0);
    gc?.();
    const held = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    if (kept.items.length !== items) throw new Error(`parsed ${kept.items.length} of ${items} items`);
    kept = undefined;
    const store = createMemoryStore();
    t0 = performance.now();
    c0 = process.cpuUsage();
    const b = parseAnnouncement(xml);
    const papers = b.items.map((i) => announcedPaper(i, b, b.day!));
    const listed = papers.filter((p) => p.sources?.arxiv);
    await store.upsertPapers(listed);
    // Replacements merge into the papers just stored (the worst case: every one is known).
    await store.upsertPapers(papers.filter((p) => !p.sources?.arxiv));
    const index = createSearchIndex(await store.papersListedBetween(b.day!, b.day!));
    if (index.search('cat:cs.CL', { limit: 1 }).total === 0 && items > 200) throw new Error('nothing indexed');
    const mw = performance.now() - t0;
    const mc = cpuMs(c0);
    if (r === 0) continue; // warm-up
    parseMs = Math.min(parseMs, pw);
    parseCpuMs = Math.min(parseCpuMs, pc);
    mergeMs = Math.min(mergeMs, mw);
    mergeCpuMs = Math.min(mergeCpuMs, mc);
    heapMB = Math.max(heapMB, held);
  }
  const result: ArxivFeedResult = {
    items, bytes: Buffer.byteLength(xml), rounds, parseMs, parseCpuMs, mergeMs, mergeCpuMs, heapMB,
    rssMB: process.resourceUsage().maxRSS / 1024, load: machineLine().replace(/.*load average /, ''),
  };
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  console.log(`arXiv feed of ${items} items (${fmt(result.bytes / 2 ** 20, 1)} MB), best of ${rounds}; ${machineLine()}`);
  console.log(`parse ${fmt(parseMs, 1)} ms (cpu ${fmt(parseCpuMs, 1)}), parse + merge into the store + index ${fmt(mergeMs, 1)} ms (cpu ${fmt(mergeCpuMs, 1)}); parsed feed holds ${fmt(heapMB, 1)} MB of heap${gc ? '' : ' (run with --expose-gc for a clean figure)'}; peak RSS ${fmt(result.rssMB, 0)} MB`);
}

await main();
