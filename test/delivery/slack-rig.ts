/** The Slack side of the slow-platform tests: a real Slack adapter (Bolt, WebClient) on the stand-in. */
import type { AppConfig } from '../../src/config.ts';
import { createSlackAdapter } from '../../src/bots/slack/index.ts';
import { defaultCoreConfig, silentLogger, type CoreDeps, type Destination } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { startSlackStandIn, type Fault, type SlackStandIn } from '../support/slack/web-api-stand-in.ts';
import { CLIENT_TIMEOUT_MS, FAULT_SHAPES, NOW, type Rig } from './fault-rig.ts';

export const SLACK_TOKEN = 'xoxb-slow-slack';
export const ALL_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'groups:history', 'im:history'];

export type SlackRig = Rig & { standIn: SlackStandIn };

export async function startSlackRig(opts: { scopes?: string[]; channels?: { id: string; private?: boolean }[]; users?: string[] } = {}): Promise<SlackRig> {
  const standIn = await startSlackStandIn({
    botToken: SLACK_TOKEN,
    scopes: opts.scopes ?? ALL_SCOPES,
    channels: opts.channels ?? [{ id: 'CPUBLIC' }, { id: 'CPRIVATE', private: true }],
    users: (opts.users ?? ['UREADER']).map((id) => ({ id, tz: 'UTC' })),
  });
  let now = new Date(NOW);
  const clock = { now: () => now, set: (iso: string) => void (now = new Date(iso)) };
  const store = createMemoryStore({ clock });
  const deps: CoreDeps = { store, index: createSearchIndex(), clock, logger: silentLogger, config: defaultCoreConfig };
  const config: AppConfig = {
    databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent',
    platformTimeoutMs: CLIENT_TIMEOUT_MS,
    slack: { botToken: SLACK_TOKEN, signingSecret: 'slow-slack-secret', apiUrl: standIn.apiUrl, adminUsers: [] },
  };
  const adapter = createSlackAdapter({ config, deps, logger: silentLogger, tuning: { pacingMs: 0 } });
  await adapter.start();
  return {
    standIn,
    deps,
    adapter,
    clock,
    inject(kind, skip = 0) {
      standIn.failNext('chat.postMessage', ...Array.from({ length: skip }, (): Fault => ({ pass: true })), FAULT_SHAPES[kind]);
    },
    plan: (faults) => standIn.failNext('chat.postMessage', ...faults.map((f): Fault => (f === 'ok' ? { pass: true } : FAULT_SHAPES[f]))),
    refuseReads: (n) => standIn.failNext('conversations.history', ...Array.from({ length: n }, (): Fault => ({ refuse: 500 }))),
    heal: () => standIn.clearFaults(),
    copies(dest: Destination, id: string) {
      const channel = dest.kind === 'user' ? `D${dest.id}` : dest.id;
      const counts: number[] = [];
      for (const m of standIn.messages.get(channel) ?? []) {
        if (m.metadata?.event_payload.digest_id !== id) continue;
        const part = Number(m.metadata.event_payload.part ?? 0);
        counts[part] = (counts[part] ?? 0) + 1;
      }
      return Array.from(counts, (c) => c ?? 0);
    },
    async close() {
      await adapter.stop();
      await standIn.close();
    },
  };
}
