/**
 * What drawing one person's Slack Home tab costs (issue 16): homeView for a person with 25 topics
 * and 500 saved papers over the corpus replicated to --papers, on the memory store and the real
 * index, timed per view in wall and CPU time (the Home tab is redrawn after every change made from
 * it). Also reports the view's block count and JSON size against Slack's 100 blocks.
 *
 *   node --import tsx bench/home-tab.ts [--papers 100000] [--views 40]
 */
import { homeView } from '../src/bots/slack/home-view.ts';
import { defaultCoreConfig, type CoreDeps } from '../src/core/commands/index.ts';
import { silentLogger } from '../src/core/index.ts';
import { createSearchIndex } from '../src/core/search/index.ts';
import { createMemoryStore } from '../src/store/index.ts';
import { numberArg } from './lib/args.ts';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { machineLine } from './lib/machine.ts';
import { fmt, percentile } from './lib/stats.ts';
import { corpusTopics } from './lib/subscriptions.ts';

const PAPERS = numberArg('papers', 100_000);
const VIEWS = numberArg('views', 40);
console.log(`home-tab: ${machineLine()}`);

const corpus = await loadCorpus();
const papers = replicate(corpus, PAPERS);
const store = createMemoryStore();
await store.upsertPapers(papers);
const newest = papers.reduce((d, p) => (p.listedOn > d ? p.listedOn : d), '');
const now = new Date(`${newest}T12:00:00Z`);
const deps: CoreDeps = { store, index: createSearchIndex(papers), clock: { now: () => now }, logger: silentLogger, config: defaultCoreConfig };
const user = { platform: 'slack' as const, kind: 'user' as const, id: 'UBENCH' };
const dest = await store.ensureDestination(user, { topics: [], time: '09:00', timezone: 'Europe/Berlin', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 });
for (const t of corpusTopics(corpus, 25)) await store.addTopic(dest.key, t, 25);
for (let i = 0; i < 500; i++) await store.savePaper(dest.key, papers[i * 7]!.id, new Date(now.getTime() - i * 60_000).toISOString(), 500);
const ctx = { platform: 'slack' as const, user, canManageChannel: false, userTimezone: 'Europe/Berlin' };

for (let i = 0; i < 5; i++) await homeView(ctx, deps); // warm the JIT and the topic memo
const wall: number[] = [];
const cpu: number[] = [];
let blocks = 0;
let bytes = 0;
for (let i = 0; i < VIEWS; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const view = await homeView(ctx, deps, { savedPage: 1 + (i % 100) });
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  blocks = Math.max(blocks, view.blocks.length);
  bytes = Math.max(bytes, JSON.stringify(view).length);
}
console.log(
  `home-tab @${PAPERS / 1000}k papers, 25 topics, 500 saved: p50 ${fmt(percentile(wall, 50), 1)} ms (cpu ${fmt(percentile(cpu, 50), 1)}), ` +
    `p99 ${fmt(percentile(wall, 99), 1)} ms (cpu ${fmt(percentile(cpu, 99), 1)}); view ${blocks} blocks, ${fmt(bytes / 1024, 1)} KB`,
);
console.log(`home-tab: load average at end ${machineLine().split('load average ')[1]}`);
