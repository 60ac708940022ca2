/**
 * A real Slack adapter (real Bolt App) on an ephemeral port, its Web API client pointed at the
 * local stand-in, real deps (memory store, real index, real shared papers), and helpers that send
 * signed slash commands and button presses the way Slack does.
 */
import { expect } from 'vitest';
import type { AppConfig } from '../../../src/config.ts';
import { createSlackAdapter, type SlackAdapter, type SlackTuning } from '../../../src/bots/slack/index.ts';
import { defaultCoreConfig, type CoreDeps, type Logger } from '../../../src/core/index.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { realPapers } from './papers.ts';
import { interactionBody, postSigned, slashCommandBody } from './sign.ts';
import { startSocketStandIn, type SocketStandIn } from './socket-stand-in.ts';
import { startSlackStandIn, type CapturedResponse, type SlackStandIn } from './web-api-stand-in.ts';

export const SECRET = 'test-signing-secret-8f2c';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';

export const USERS = {
  admin: 'UADMIN',
  owner: 'UOWNER',
  member: 'UMEMBER',
  listed: 'ULISTED',
  berlin: 'UBERLIN',
  /** Used by one test only, so users.info is never cached for it beforehand. */
  fresh: 'UFRESH',
} as const;

export const CHANNELS = { research: 'CRESEARCH', outside: 'COUTSIDE', archived: 'CARCHIVED' } as const;

export interface LogLine {
  level: string;
  obj: object | string;
  msg?: string;
}

export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  standIn: SlackStandIn;
  socket?: SocketStandIn;
  adapter: SlackAdapter;
  deps: CoreDeps;
  logger: ReturnType<typeof captureLogger>;
  eventsUrl: string;
  baseUrl: string;
  /** Sends a signed slash command; resolves with what the bot respond()ed. */
  command(command: string, text: string, user?: string, channel?: string): Promise<CapturedResponse>;
  /** Presses a button of a captured message (signed `block_actions` payload). */
  click(button: { action_id: string; value: string }, user?: string, channel?: string): Promise<CapturedResponse>;
  /** Sends a signed Events API callback (e.g. `app_home_opened`); resolves with the HTTP answer. */
  event(event: Record<string, unknown>): Promise<{ status: number; text: string }>;
  /** Presses a button of a published view (the Home tab): a `block_actions` payload without response_url. */
  clickInView(button: { action_id: string; value?: string }, view: Record<string, unknown>, user?: string): Promise<{ status: number; text: string }>;
  /** Submits a modal with these input values (signed `view_submission`); resolves with Bolt's ack body, parsed. */
  submit(view: Record<string, unknown>, values: Record<string, Record<string, unknown>>, user?: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startHarness(opts: { socket?: boolean; tuning?: Partial<SlackTuning>; now?: string; scopes?: string[] } = {}): Promise<Harness> {
  const standIn = await startSlackStandIn({
    botToken: BOT_TOKEN,
    ...(opts.scopes ? { scopes: opts.scopes } : {}),
    ...(opts.socket ? { appToken: APP_TOKEN } : {}),
    users: [
      { id: USERS.admin, is_admin: true, tz: 'Europe/Paris' },
      { id: USERS.owner, is_owner: true },
      { id: USERS.member, tz: 'America/New_York' },
      { id: USERS.listed },
      { id: USERS.berlin, tz: 'Europe/Berlin' },
      { id: USERS.fresh },
    ],
    channels: [{ id: CHANNELS.research }, { id: CHANNELS.outside, member: false }, { id: CHANNELS.archived, archived: true }],
  });
  let socket: SocketStandIn | undefined;
  if (opts.socket) {
    socket = await startSocketStandIn();
    standIn.setSocketUrl(socket.url);
  }
  const store = createMemoryStore();
  await store.upsertPapers(realPapers());
  let now = new Date(opts.now ?? '2026-06-25T12:00:00Z');
  const logger = captureLogger();
  const deps: CoreDeps = {
    store,
    index: createSearchIndex(await store.allPapers()),
    clock: { now: () => now },
    logger,
    config: { ...defaultCoreConfig },
  };
  const config: AppConfig = {
    databaseUrl: 'file:./unused.json',
    hfEndpoint: 'http://127.0.0.1:9',
    slack: {
      botToken: BOT_TOKEN,
      signingSecret: SECRET,
      ...(opts.socket ? { appToken: APP_TOKEN } : {}),
      apiUrl: standIn.apiUrl,
      adminUsers: [USERS.listed],
    },
    port: 0,
    digestTime: '09:00',
    digestTimezone: 'UTC',
    catchUpHours: 6,
    logLevel: 'silent',
  };
  const adapter = createSlackAdapter({ config, deps, logger, tuning: { pacingMs: 20, ...opts.tuning } });
  await adapter.start();
  const baseUrl = opts.socket ? '' : `http://127.0.0.1:${adapter.port()}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  let n = 0;

  async function captured(id: string): Promise<CapturedResponse> {
    return standIn.waitFor(() => standIn.responses.find((r) => r.id === id), `respond() to ${id}`);
  }

  return {
    standIn,
    socket,
    adapter,
    deps,
    logger,
    eventsUrl,
    baseUrl,
    async command(command, text, user = USERS.member, channel = CHANNELS.research) {
      const id = `cmd${++n}`;
      const body = slashCommandBody({ command, text, user_id: user, channel_id: channel, response_url: standIn.responseUrl(id) });
      const res = await postSigned(eventsUrl, SECRET, body);
      // ack() answers the HTTP request itself with an empty 200; the reply comes via response_url.
      expect(res).toEqual({ status: 200, text: '' });
      return captured(id);
    },
    async click(button, user = USERS.member, channel = CHANNELS.research) {
      const id = `act${++n}`;
      const payload = {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: 'T0PAPER' },
        api_app_id: 'A0PAPER',
        token: 'deprecated',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: true },
        trigger_id: '1.2.3',
        team: { id: 'T0PAPER', domain: 'paperboy-test' },
        channel: { id: channel, name: 'research' },
        response_url: standIn.responseUrl(id),
        actions: [{ type: 'button', block_id: 'b1', action_id: button.action_id, value: button.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000001.000200' }],
      };
      const res = await postSigned(eventsUrl, SECRET, interactionBody(payload));
      expect(res.status).toBe(200);
      return captured(id);
    },
    async event(event) {
      const body = JSON.stringify({
        token: 'deprecated', team_id: 'T0PAPER', api_app_id: 'A0PAPER', type: 'event_callback', event_id: `Ev${++n}`, event_time: 1_700_000_000,
        event: { event_ts: '1700000000.000100', ...event },
        authorizations: [{ team_id: 'T0PAPER', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      });
      return postSigned(eventsUrl, SECRET, body, { contentType: 'application/json' });
    },
    async clickInView(button, view, user = USERS.member) {
      const payload = {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: 'T0PAPER' },
        api_app_id: 'A0PAPER',
        token: 'deprecated',
        container: { type: 'view', view_id: String(view.id ?? 'V0HOME') },
        trigger_id: `${++n}.2.3`,
        team: { id: 'T0PAPER', domain: 'paperboy-test' },
        view: { id: 'V0HOME', team_id: 'T0PAPER', state: { values: {} }, hash: 'h', private_metadata: '', callback_id: '', ...view },
        actions: [{ type: 'button', block_id: 'b1', action_id: button.action_id, ...(button.value !== undefined ? { value: button.value } : {}), text: { type: 'plain_text', text: 'x' }, action_ts: '1700000001.000200' }],
      };
      return postSigned(eventsUrl, SECRET, interactionBody(payload));
    },
    async submit(view, values, user = USERS.member) {
      const payload = {
        type: 'view_submission',
        team: { id: 'T0PAPER', domain: 'paperboy-test' },
        user: { id: user, username: user.toLowerCase(), team_id: 'T0PAPER' },
        api_app_id: 'A0PAPER',
        token: 'deprecated',
        trigger_id: `${++n}.4.5`,
        view: { id: `V0MODAL${n}`, team_id: 'T0PAPER', hash: 'h', private_metadata: '', ...view, state: { values } },
        response_urls: [],
      };
      const res = await postSigned(eventsUrl, SECRET, interactionBody(payload));
      expect(res.status).toBe(200);
      return res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
    },
    async close() {
      await adapter.stop();
      await socket?.close();
      await standIn.close();
      now = new Date(0);
    },
  };
}

/** The buttons of a captured message. */
export function buttonsOf(r: CapturedResponse): { action_id: string; value: string; text: { text: string } }[] {
  const blocks = (r.body.blocks ?? []) as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** All mrkdwn/plain text of a captured message, for assertions. */
export function textOf(r: CapturedResponse): string {
  return JSON.stringify(r.body.blocks ?? []) + String(r.body.text ?? '');
}
