/**
 * A 429 storm through the real Slack adapter (Bolt's WebClient) against the Web API stand-in:
 * 40 channels, the first 90 posts answered 429. Every channel still gets exactly one digest.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/bots/slack/index.ts';
import { defaultCoreConfig, silentLogger, type CoreDeps } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack/web-api-stand-in.ts';
import { realPapers } from '../store/real-papers.ts';
import { channel, subscribe } from './support.ts';

const TOKEN = 'xoxb-storm';
let slack: SlackStandIn | undefined;
let adapter: SlackAdapter | undefined;
afterEach(async () => {
  await adapter?.stop();
  await slack?.close();
});

describe('429 storm on Slack', () => {
  it('retries every 429 (bounded) and posts exactly one digest per channel', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `CSTORM${i}`);
    slack = await startSlackStandIn({ botToken: TOKEN, channels: ids.map((id) => ({ id })) });
    const now = new Date('2026-06-24T10:00:00Z');
    const store = createMemoryStore({ clock: { now: () => now } });
    await store.upsertPapers(realPapers('2026-06-24'));
    const deps: CoreDeps = { store, index: createSearchIndex(), clock: { now: () => now }, logger: silentLogger, config: defaultCoreConfig };
    const config: AppConfig = {
      databaseUrl: 'file:./unused.json',
      hfEndpoint: 'http://127.0.0.1:9',
      slack: { botToken: TOKEN, signingSecret: 'storm-secret', apiUrl: slack.apiUrl, adminUsers: [] },
      port: 0,
      digestTime: '09:00',
      digestTimezone: 'UTC',
      catchUpHours: 6,
      logLevel: 'silent',
    };
    adapter = createSlackAdapter({ config, deps, logger: silentLogger, tuning: { pacingMs: 5 } });
    await adapter.start();
    const keys: string[] = [];
    for (const id of ids) keys.push(await subscribe(deps, channel('slack', id), { topics: ['diffusion'], notifyEmpty: true }));
    slack.failNext('chat.postMessage', ...Array.from({ length: 90 }, () => ({ retryAfter: 0 })));

    const report = await runCycle(deps, [adapter], now, { concurrency: 8, sleep: async () => {} });
    expect(report.outcomes.map((o) => o.status)).toEqual(keys.map(() => 'sent'));
    const posts = slack.callsOf('chat.postMessage');
    expect(posts.filter((p) => p.outcome === '429')).toHaveLength(90);
    for (const id of ids) {
      expect(posts.filter((p) => p.args.channel === id && p.outcome === 'ok'), id).toHaveLength(1);
      expect(slack.messages.get(id), id).toHaveLength(1);
    }
    for (const key of keys) expect(await store.digestStatus(key, '2026-06-24')).toBe('sent');
  });
});
