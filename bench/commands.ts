/**
 * Commands (issue 6, point 5): signed Slack slash requests and Discord interactions arriving at a
 * steady rate against the real adapters (a Bolt App in HTTP mode; a discord.js Client logged in to
 * the local Discord stand-in), on a memory store and the real index over the corpus. Time to
 * acknowledge: Slack - until Bolt answers the HTTP request; Discord - from dispatching
 * INTERACTION_CREATE on the gateway to the interaction callback reaching the stand-in.
 * Commands alternate between `/papers QUERY` (a lookup) and `/topics add TOPIC` (a store write).
 *
 *   node --import tsx bench/commands.ts [--rate 50] [--seconds 10] [--platforms slack,discord] [--json]
 */
import type { AppConfig } from '../src/config.ts';
import { createDiscordAdapter } from '../src/bots/discord/index.ts';
import { createSlackAdapter } from '../src/bots/slack/index.ts';
import { defaultCoreConfig, type CoreDeps } from '../src/core/commands/index.ts';
import { silentLogger } from '../src/core/ports.ts';
import { createSearchIndex } from '../src/core/search/index.ts';
import { createMemoryStore } from '../src/store/index.ts';
import { DEFAULT_GUILD, MEMBER_PERMISSIONS, type CommandInput, slashInteraction, startDiscordStandIn, user, type RecordedRequest } from '../test/support/discord/index.ts';
import { postSigned, slashCommandBody, startSlackStandIn } from '../test/support/slack/index.ts';
import { loadCorpus } from './lib/corpus.ts';
import { lookupQueries } from './lib/queries.ts';
import { corpusTopics } from './lib/subscriptions.ts';
import { fmt, percentile, table } from './lib/stats.ts';

const argv = process.argv;
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const RATE = Number(opt('rate', '50'));
const SECONDS = Number(opt('seconds', '10'));
const PLATFORMS = opt('platforms', 'slack,discord').split(',');
const JSON_OUT = argv.includes('--json');

export interface CommandsResult {
  platform: string;
  rate: number;
  sent: number;
  acked: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU of the whole process (bot, stand-in, load generator) per command during the paced run. */
  cpuMsPerCommand: number;
}

const base: AppConfig = { databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deps(papers: Awaited<ReturnType<typeof loadCorpus>>): Promise<CoreDeps> {
  const clock = { now: () => new Date('2026-08-21T12:00:00Z') };
  const store = createMemoryStore({ clock });
  await store.upsertPapers(papers);
  return { store, index: createSearchIndex(papers), clock, logger: silentLogger, config: defaultCoreConfig };
}

/** Fires `fire(i)` RATE times a second on a fixed schedule (not waiting for answers), collects ack times. */
async function paced(fire: (i: number) => Promise<number>): Promise<{ lat: number[]; failed: number; sent: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const n = Math.round(RATE * SECONDS);
  const lat: number[] = [];
  let failed = 0;
  const jobs: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    jobs.push(fire(i).then((ms) => void lat.push(ms), () => void failed++));
  }
  await Promise.all(jobs);
  const c = process.cpuUsage(c0);
  return { lat, failed, sent: n, cpuMs: (c.user + c.system) / 1000 };
}

const summary = (platform: string, r: { lat: number[]; failed: number; sent: number; cpuMs: number }): CommandsResult => ({
  platform, rate: RATE, sent: r.sent, acked: r.lat.length, failed: r.failed, p50: percentile(r.lat, 50), p99: percentile(r.lat, 99), max: Math.max(...r.lat),
  cpuMsPerCommand: r.cpuMs / r.sent,
});

async function slack(papers: Awaited<ReturnType<typeof loadCorpus>>, queries: string[], topics: string[]): Promise<CommandsResult> {
  const secret = 'bench-signing-secret';
  const users = Array.from({ length: 50 }, (_, i) => ({ id: `U${String(i).padStart(6, '0')}` }));
  const standIn = await startSlackStandIn({ botToken: 'xoxb-bench', users, channels: [{ id: 'CBENCH' }] });
  const adapter = createSlackAdapter({
    config: { ...base, slack: { botToken: 'xoxb-bench', signingSecret: secret, apiUrl: standIn.apiUrl, adminUsers: [] } },
    deps: await deps(papers), logger: silentLogger,
  });
  await adapter.start();
  const url = `http://127.0.0.1:${adapter.port()}/slack/events`;
  const fire = async (i: number) => {
    const [command, text] = i % 2 === 0 ? ['/papers', queries[i % queries.length]!] : ['/topics', `add ${topics[i % topics.length]!}`];
    const body = slashCommandBody({ command, text, user_id: users[i % users.length]!.id, channel_id: 'CBENCH', response_url: standIn.responseUrl(`c${i}`) });
    const t = performance.now();
    const res = await postSigned(url, secret, body);
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i++) await fire(i); // warm up
  const r = await paced(fire);
  await sleep(500); // let response_url posts finish before closing
  await adapter.stop();
  await standIn.close();
  return summary('slack', r);
}

async function discord(papers: Awaited<ReturnType<typeof loadCorpus>>, queries: string[], topics: string[]): Promise<CommandsResult> {
  const stand = await startDiscordStandIn();
  const adapter = createDiscordAdapter({
    config: { ...base, discord: { token: stand.token, applicationId: stand.applicationId, apiUrl: stand.apiUrl } },
    deps: await deps(papers), logger: silentLogger,
  });
  await adapter.start();
  const channel = DEFAULT_GUILD.channels[0]!;
  const waiting = new Map<string, (r: RecordedRequest) => void>();
  stand.on('request', (r: RecordedRequest) => {
    const m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path);
    if (m && r.method === 'POST') waiting.get(m[1]!)?.(r);
  });
  const fire = (i: number) => {
    const u = user(String(310000000000000000n + BigInt(i % 50)), `u${i % 50}`);
    const cmd: CommandInput = i % 2 === 0 ? { name: 'papers', options: { query: queries[i % queries.length]! } } : { name: 'topics', sub: 'add', options: { topic: topics[i % topics.length]! } };
    const it = slashInteraction(stand.applicationId, { user: u, guild: { id: DEFAULT_GUILD.id, channel, permissions: MEMBER_PERMISSIONS } }, cmd);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => (waiting.delete(String(it.token)), reject(new Error('no callback'))), 10_000);
      const t = performance.now();
      waiting.set(String(it.token), (r) => {
        clearTimeout(timer);
        waiting.delete(String(it.token));
        if (r.status && r.status >= 300) reject(new Error(`callback status ${r.status}`));
        else resolve(performance.now() - t);
      });
      stand.gateway.dispatch('INTERACTION_CREATE', it);
    });
  };
  for (let i = 0; i < 20; i++) await fire(i).catch(() => undefined);
  const r = await paced(fire);
  await sleep(500);
  await adapter.stop();
  await stand.close();
  return summary('discord', r);
}

async function main(): Promise<void> {
  const papers = await loadCorpus();
  const queries = lookupQueries(papers, 200);
  const topics = corpusTopics(papers, 500);
  const results: CommandsResult[] = [];
  for (const p of PLATFORMS) {
    process.stderr.write(`${p}: ${RATE}/s for ${SECONDS} s...\n`);
    results.push(p === 'slack' ? await slack(papers, queries, topics) : await discord(papers, queries, topics));
  }
  if (JSON_OUT) return console.log(JSON.stringify(results));
  console.log(table(['platform', 'rate/s', 'sent', 'acked', 'failed', 'ack p50 ms', 'ack p99 ms', 'max ms', 'cpu ms/cmd'],
    results.map((r) => [r.platform, String(r.rate), String(r.sent), String(r.acked), String(r.failed), fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.max, 1), fmt(r.cpuMsPerCommand, 2)])));
}

await main();
process.exit(0);
