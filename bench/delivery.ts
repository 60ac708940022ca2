/**
 * Delivery (issue 6, point 3): N channel digests through the project's real delivery path
 * (src/delivery fanOut -> runDigest -> the adapter's deliver) with the real discord.js REST client
 * and the real Slack WebClient, each against a local API that enforces the platform's limits and
 * answers 429 beyond them. Reports the total time beside the floor those limits allow, the 429s
 * the stand-in sent, and channels that got nothing (lost) or a message twice (duplicated).
 *
 *   node --import tsx bench/delivery.ts [--digests 1000] [--platforms discord,slack] [--json]
 */
import type { AppConfig } from '../src/config.ts';
import { createDiscordAdapter } from '../src/bots/discord/index.ts';
import { createSlackAdapter } from '../src/bots/slack/index.ts';
import { defaultCoreConfig, type CoreDeps } from '../src/core/commands/index.ts';
import type { Adapter, Clock, Destination, DestinationSettings, Platform } from '../src/core/index.ts';
import { silentLogger } from '../src/core/ports.ts';
import { createSearchIndex, matchTopics } from '../src/core/search/index.ts';
import { fanOut, type Plan } from '../src/delivery/index.ts';
import { defaultCycleOptions } from '../src/schedule/run-cycle.ts';
import { createMemoryStore } from '../src/store/index.ts';
import { loadCorpus } from './lib/corpus.ts';
import { lostAndDuplicated, startLimitedDiscord, startLimitedSlack, type LimitedServer } from './lib/limited-stand-ins.ts';
import { corpusTopics } from './lib/subscriptions.ts';
import { fmt, table } from './lib/stats.ts';

const argv = process.argv;
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const DIGESTS = Number(opt('digests', '1000'));
const PLATFORMS = opt('platforms', 'discord,slack').split(',') as Platform[];
const JSON_OUT = argv.includes('--json');
if (!Number.isInteger(DIGESTS) || DIGESTS <= 0) throw new Error('--digests needs a positive integer');

const DISCORD = { token: 'bench-token', perSecond: 50 };
const SLACK = { token: 'xoxb-bench', burst: 100, perSecond: 50 };

export interface DeliveryResult {
  platform: string;
  digests: number;
  sent: number;
  failed: number;
  requests: number;
  accepted: number;
  rateLimited: number;
  lost: number;
  duplicated: number;
  seconds: number;
  /** CPU of this process (bot and stand-in) during the run. */
  cpuSeconds: number;
  floorSeconds: number;
  limits: string;
}

async function setup(platform: Platform, papersOfDay: Awaited<ReturnType<typeof loadCorpus>>, topics: string[], day: string) {
  const now = new Date(`${day}T09:05:00Z`);
  const clock: Clock = { now: () => now };
  const store = createMemoryStore({ clock });
  await store.upsertPapers(papersOfDay);
  const deps: CoreDeps = { store, index: createSearchIndex(papersOfDay), clock, logger: silentLogger, config: defaultCoreConfig };
  const settings: DestinationSettings = { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };
  const prev = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const plans: Plan[] = [];
  const channels: string[] = [];
  for (let i = 0; i < DIGESTS; i++) {
    const id = platform === 'discord' ? String(300000000000000000n + BigInt(i)) : `C${String(i).padStart(8, '0')}`;
    channels.push(id);
    const d = await store.ensureDestination({ platform, kind: 'channel', id }, settings);
    for (let j = 0; j < 2; j++) await store.addTopic(d.key, topics[(i * 7 + j * 13) % topics.length]!, 25);
    const dest = await store.updateState(d.key, { lastDigestDay: prev, lastRunAt: `${prev}T09:00:02.000Z` });
    plans.push({ dest: dest as Destination, day, missed: [] });
  }
  return { deps, plans, channels, now };
}

async function adapterFor(platform: Platform, deps: CoreDeps): Promise<{ adapter: Adapter; server: LimitedServer; limits: string; floor: (accepted: number, perChannelMax: number) => number }> {
  const base: AppConfig = { databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent' };
  if (platform === 'discord') {
    const server = await startLimitedDiscord({ token: DISCORD.token, globalPerSecond: DISCORD.perSecond });
    const adapter = createDiscordAdapter({ config: { ...base, discord: { token: DISCORD.token, applicationId: '900000000000000001', apiUrl: server.url } }, deps, logger: silentLogger, registerOnStart: false });
    adapter.client.rest.setToken(DISCORD.token);
    return {
      adapter, server, limits: '50 req/s (bucket 50), 5 msg/5 s per channel',
      floor: (n, perCh) => Math.max((n - DISCORD.perSecond) / DISCORD.perSecond, Math.floor((perCh - 1) / 5) * 5),
    };
  }
  const server = await startLimitedSlack({ token: SLACK.token, burst: SLACK.burst, perSecond: SLACK.perSecond });
  const adapter = createSlackAdapter({ config: { ...base, slack: { botToken: SLACK.token, signingSecret: 'unused', apiUrl: server.url, adminUsers: [] } }, deps, logger: silentLogger });
  return {
    adapter, server, limits: `1 msg/s per channel, workspace burst ${SLACK.burst} then ${SLACK.perSecond}/s`,
    floor: (n, perCh) => Math.max((n - SLACK.burst) / SLACK.perSecond, perCh - 1),
  };
}

async function run(platform: Platform, papersOfDay: Awaited<ReturnType<typeof loadCorpus>>, topics: string[], day: string): Promise<DeliveryResult> {
  const { deps, plans, channels, now } = await setup(platform, papersOfDay, topics, day);
  const { adapter, server, limits, floor } = await adapterFor(platform, deps);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await fanOut(deps, [adapter], plans, now, { ...defaultCycleOptions, inFlight: new Set() });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const { lost, duplicated } = lostAndDuplicated(server.tally, channels);
  const perChannelMax = Math.max(0, ...[...server.tally.messages.values()].map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const sent = report.outcomes.filter((o) => o.status === 'sent').length;
  await adapter.stop().catch(() => undefined);
  await server.close();
  return {
    platform, digests: DIGESTS, sent, failed: report.outcomes.filter((o) => o.status === 'failed').length,
    requests: server.tally.requests, accepted: server.tally.accepted, rateLimited: server.tally.rateLimited, lost, duplicated,
    seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, floorSeconds: floor(server.tally.accepted, perChannelMax), limits,
  };
}

async function main(): Promise<void> {
  const corpus = await loadCorpus();
  const byDay = new Map<string, typeof corpus>();
  for (const p of corpus) byDay.set(p.listedOn, [...(byDay.get(p.listedOn) ?? []), p]);
  const [day, papersOfDay] = [...byDay].sort((a, b) => b[1].length - a[1].length)[0]!;
  // Topics that match something that day, so every channel has a digest to post.
  const hits = matchTopics(corpusTopics(corpus, 400), papersOfDay);
  const topics = [...hits].filter(([, h]) => h.length > 0).map(([t]) => t);
  const results: DeliveryResult[] = [];
  for (const p of PLATFORMS) {
    process.stderr.write(`delivering ${DIGESTS} ${p} digests...\n`);
    results.push(await run(p, papersOfDay, topics, day));
  }
  if (JSON_OUT) return console.log(JSON.stringify(results));
  console.log(table(
    ['platform', 'digests', 'sent', 'time s', 'floor s', 'ratio', '429s', 'lost', 'duplicated', 'requests', 'limits'],
    results.map((r) => [r.platform, String(r.digests), String(r.sent), fmt(r.seconds, 1), fmt(r.floorSeconds, 1), `${fmt(r.seconds / r.floorSeconds, 2)}x`,
      String(r.rateLimited), String(r.lost), String(r.duplicated), String(r.requests), r.limits]),
  ));
}

await main();
process.exit(0);
