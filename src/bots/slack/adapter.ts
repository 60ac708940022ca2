/**
 * The Slack adapter: a Bolt App in HTTP mode (signed requests on PORT at /slack/events, plus
 * /healthz and /metrics as custom routes) or Socket Mode (SLACK_APP_TOKEN), and digest delivery.
 */
import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../config.ts';
import { PaperboyError, type Adapter, type CoreDeps, type DeliveryProgress, type Destination, type Logger, type Reply } from '../../core/index.ts';
import { createHttpRoutes, createMetrics, lastDigestRunAt, normaliseHealth, type CommandTiming, type HttpRoute, type MetricsRegistry } from '../../http/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { createContextSource, type ContextSource } from './context.ts';
import { createSlackDelivery } from './deliver.ts';
import { registerListeners } from './listeners.ts';
import { withTimeout as limit } from '../../core/wait.ts';
import { slackErrorInfo } from './slack-errors.ts';
import { perWorkspace, slackOAuthAppOptions, type SlackOAuthSetup } from './oauth.ts';

export interface SlackTuning {
  /** Gap between two messages to one channel. */
  pacingMs: number;
  rateLimitRetries: number;
  /** Longest Retry-After waited out in-process; longer ones fail transiently for the scheduler to retry. */
  maxRateLimitWaitMs: number;
  authTimeoutMs: number;
  apiTimeoutMs: number;
  adminCacheMs: number;
  /** How long Socket Mode may take to say hello. */
  connectTimeoutMs: number;
}

export const defaultSlackTuning: SlackTuning = {
  pacingMs: 1100,
  rateLimitRetries: 3,
  maxRateLimitWaitMs: 60_000,
  authTimeoutMs: 5_000,
  apiTimeoutMs: 10_000,
  adminCacheMs: 60_000,
  connectTimeoutMs: 15_000,
};

/** What conversations.history needs for public channels, private channels and DMs (in the manifest). */
export const HISTORY_SCOPES = ['channels:history', 'groups:history', 'im:history'] as const;

export interface SlackAdapterOptions {
  /** Only the settings Slack needs (the whole AppConfig fits too). */
  config: Pick<AppConfig, 'slack' | 'port' | 'platformTimeoutMs'>;
  deps: CoreDeps;
  logger: Logger;
  /** What /healthz shows; defaults to this adapter's health. */
  health?: () => object;
  /** Registry served at /metrics and fed with command/delivery counters. */
  metrics?: MetricsRegistry;
  tuning?: Partial<SlackTuning>;
  /** OAuth install flow for many workspaces: tokens come from the installation store, not SLACK_BOT_TOKEN. */
  oauth?: SlackOAuthSetup;
  /** More routes for PORT in HTTP mode (Discord's interactions endpoint shares the port). */
  routes?: HttpRoute[];
  /** Told when each command or press was acked and answered (the latency histograms). */
  onAnswered?: (t: CommandTiming) => void;
}

export interface SlackAdapter extends Adapter {
  readonly mode: 'http' | 'socket';
  readonly metrics: MetricsRegistry;
  /** Bound HTTP port in HTTP mode once started (useful with PORT=0). */
  port(): number | undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return limit(p, ms, () => new Error(`${what} timed out after ${ms} ms`));
}

export function createSlackAdapter(opts: SlackAdapterOptions): SlackAdapter {
  const slack = opts.config.slack;
  const oauth = opts.oauth;
  if (!slack || (!slack.botToken && !oauth)) throw new PaperboyError('config', 'The Slack adapter needs SLACK_BOT_TOKEN (or the OAuth settings SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET).');
  const mode = slack.appToken ? 'socket' : 'http';
  if (oauth && mode === 'socket') throw new PaperboyError('config', 'Slack OAuth (many workspaces) needs HTTP mode: unset SLACK_APP_TOKEN.');
  if (mode === 'http' && !slack.signingSecret) {
    throw new PaperboyError('config', 'Slack in HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).');
  }
  const timeout = opts.config.platformTimeoutMs;
  const t: SlackTuning = { ...defaultSlackTuning, ...(timeout ? { apiTimeoutMs: timeout } : {}), ...opts.tuning };
  const logger = opts.logger;
  const metrics = opts.metrics ?? createMetrics();
  const commands = metrics.counter('paperboy_slack_commands_total', 'Slack slash commands handled.', ['command', 'result']);
  const actions = metrics.counter('paperboy_slack_actions_total', 'Slack button presses handled.', ['action']);
  const deliveries = metrics.counter('paperboy_slack_deliveries_total', 'Slack digest deliveries by result.', ['result', 'reason']);
  // Bounded everywhere: the SDK defaults retry for about 30 minutes and would hold a digest run hostage.
  const clientOptions = () => ({
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4_000 },
    rejectRateLimitedCalls: true,
    timeout: t.apiTimeoutMs,
    logger: boltLogger(logger),
  });
  // Digest posts (and the DM they open) never retry inside the SDK: a post that timed out may have
  // landed, and only the delivery layer, which reads back first, decides whether to post again.
  const postOptions = () => ({ ...clientOptions(), retryConfig: { retries: 0 } });
  const client = new webApi.WebClient(slack.botToken, clientOptions());
  const postClient = new webApi.WebClient(slack.botToken, postOptions());
  let stopCtl = new AbortController();
  let app: App | undefined;
  let server: Server | undefined;
  let connected = false;
  let historyReadable = true;
  let authNote = '';
  let detail = 'not started';

  const deliveryFor = (c: webApi.WebClient, post: webApi.WebClient) => createSlackDelivery({
    client: c,
    postClient: post,
    logger,
    pacingMs: t.pacingMs,
    rateLimit: { retries: t.rateLimitRetries, maxWaitMs: t.maxRateLimitWaitMs },
    get signal() {
      return stopCtl.signal;
    },
    onResult: (result, reason) => deliveries.inc(reason ? { result, reason } : { result }),
  });
  // With OAuth each workspace's digests go out with that workspace's own token.
  const workspaceDelivery = oauth ? perWorkspace(oauth.tokens, (token) => deliveryFor(new webApi.WebClient(token, clientOptions()), new webApi.WebClient(token, postOptions()))) : undefined;
  const deliver = workspaceDelivery
    ? Object.assign(async (d: Destination, m: Reply, p?: DeliveryProgress) => (await workspaceDelivery(d.workspace))(d, m, p), {
        findDelivered: async (d: Destination, id: string) => (await workspaceDelivery(d.workspace)).findDelivered(d, id),
      })
    : deliveryFor(client, postClient);

  /** auth.test once, bounded, instead of Bolt's own call that retries for minutes when offline. */
  async function identify(): Promise<{ botId: string; botUserId: string; team?: string; scopes?: string[] }> {
    const probe = new webApi.WebClient(slack!.botToken, { ...clientOptions(), retryConfig: { retries: 0 }, timeout: t.authTimeoutMs });
    try {
      const r = await probe.auth.test();
      const scopes = r.response_metadata?.scopes;
      return { botId: r.bot_id ?? '', botUserId: r.user_id ?? '', ...(r.team_id ? { team: r.team_id } : {}), ...(scopes ? { scopes } : {}) };
    } catch (err) {
      const info = slackErrorInfo(err);
      if (['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive', 'token_expired'].includes(info.code)) {
        throw new PaperboyError('config', `Slack refused SLACK_BOT_TOKEN (${info.code}); check the token or reinstall the app.`, undefined, { cause: err });
      }
      logger.warn({ err: info.code }, `Slack auth.test failed at ${slack!.apiUrl}; starting anyway`);
      authNote = ` (auth.test failed: ${info.code})`;
      return { botId: '', botUserId: '' };
    }
  }

  /** Admin checks (users.info) with the token of the caller's workspace. */
  function workspaceContext(o: SlackOAuthSetup): ContextSource {
    const of = perWorkspace(o.tokens, (token) =>
      createContextSource({ client: new webApi.WebClient(token, clientOptions()), adminUsers: slack!.adminUsers, logger, cacheMs: t.adminCacheMs }),
    );
    return { build: async (e) => (await of(e.teamId)).build(e) };
  }

  const adapter: SlackAdapter = {
    platform: 'slack',
    mode,
    metrics,
    port: () => (server?.listening ? (server.address() as AddressInfo).port : undefined),

    async start() {
      if (app) return;
      stopCtl = new AbortController();
      authNote = '';
      // With OAuth there is no single token to identify; Bolt authorizes each request by its workspace.
      const who = oauth ? { botId: '', botUserId: '' } : await identify();
      // Slack names the token's scopes on every answer; unknown (no header) means we just try.
      // With some of them, the others' destinations answer missing_scope, which counts as "cannot tell".
      historyReadable = !who.scopes || HISTORY_SCOPES.some((sc) => who.scopes!.includes(sc));
      if (!historyReadable) logger.info({ scopes: who.scopes }, 'Slack token cannot read history; interrupted digests will not be re-checked');
      const bl = boltLogger(logger);
      const healthSource = async () => ({
        ...normaliseHealth(opts.health ? opts.health() : { slack: adapter.health() }),
        lastDigestRunAt: await lastDigestRunAt(opts.deps.store).catch(() => null),
      });
      let receiver: SocketModeReceiver | undefined;
      if (mode === 'socket') {
        receiver = new SocketModeReceiver({ appToken: slack.appToken!, logger: bl, installerOptions: { clientOptions: clientOptions() } });
        receiver.client.on('connected', () => ((connected = true), (detail = `socket mode connected${authNote}`)));
        receiver.client.on('reconnecting', () => ((connected = false), (detail = 'socket mode reconnecting')));
        receiver.client.on('disconnected', () => ((connected = false), (detail = 'socket mode disconnected')));
      }
      const boltApp = new App({
        ...(oauth
          ? slackOAuthAppOptions(oauth.config, oauth.installationStore, clientOptions())
          : { token: slack.botToken, botId: who.botId, botUserId: who.botUserId }),
        logger: bl,
        clientOptions: clientOptions(),
        ...(receiver
          ? { receiver }
          : {
              signingSecret: slack.signingSecret!,
              endpoints: '/slack/events',
              customRoutes: [...createHttpRoutes({ health: healthSource, metrics, logger }), ...(opts.routes ?? [])],
            }),
      });
      registerListeners(boltApp, {
        deps: opts.deps,
        context: oauth ? workspaceContext(oauth) : createContextSource({ client: boltApp.client, adminUsers: slack.adminUsers, logger, cacheMs: t.adminCacheMs }),
        commands,
        actions,
        ...(opts.onAnswered ? { onAnswered: opts.onAnswered } : {}),
        onRevoked: (event) => {
          connected = false;
          detail = `${event}: reinstall the Slack app and update SLACK_BOT_TOKEN`;
        },
      });
      boltApp.error(async (err) => {
        logger.error({ err: err.message, code: (err as { code?: string }).code }, 'Slack listener failed');
      });
      try {
        if (receiver) {
          await withTimeout(boltApp.start(), t.connectTimeoutMs, 'Slack Socket Mode connection');
        } else {
          server = (await boltApp.start(opts.config.port)) as Server;
          connected = true;
          detail = `http mode on port ${adapter.port()}${authNote}`;
        }
      } catch (err) {
        await boltApp.stop().catch(() => undefined);
        connected = false;
        detail = `start failed: ${(err as Error).message}`;
        throw err;
      }
      app = boltApp;
      logger.info({ mode, port: adapter.port(), team: who.team }, 'Slack adapter started');
    },

    async stop() {
      stopCtl.abort();
      const a = app;
      app = undefined;
      connected = false;
      detail = 'stopped';
      if (a) await a.stop().catch((err: Error) => logger.warn({ err: err.message }, 'Slack app did not stop cleanly'));
      server = undefined;
    },

    deliver,
    // Without any history scope (an app installed from an older manifest), the scheduler treats a
    // crash mid-send as "interrupted" instead of asking Slack.
    get findDelivered() {
      return historyReadable ? deliver.findDelivered : undefined;
    },

    health: () => ({ connected, detail }),
  };
  return adapter;
}
