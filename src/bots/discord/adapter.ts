/**
 * The Discord adapter: a discord.js Client that registers the commands, answers interactions,
 * delivers digests and reports its connection for /healthz.
 */
import { once } from 'node:events';
import { Events, type Client, type REST } from 'discord.js';
import type { AppConfig } from '../../config.ts';
import type { CoreDeps } from '../../core/commands/index.ts';
import { PaperboyError, type Adapter, type DeliveryProgress, type Destination, type FoundDigest, type Logger, type Reply } from '../../core/index.ts';
import { createDiscordClient } from './client.ts';
import { putCommands } from './commands.ts';
import { ActionCodec } from './custom-id.ts';
import { DiscordDelivery } from './deliver.ts';
import type { FlowDeps } from './interaction-flow.ts';
import { handleInteraction } from './interactions.ts';

export interface DiscordAdapterOptions {
  /** Only the settings Discord needs (the whole AppConfig fits too). */
  config: Pick<AppConfig, 'discord' | 'platformTimeoutMs'>;
  deps: CoreDeps;
  logger: Logger;
  /** Reply directly when the core answers within this many ms, else defer (default 1500; 0 always defers). */
  deferAfterMs?: number;
  /** 429s asking to wait longer than this fail as DeliveryError('rate_limited') instead (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** Register the slash commands at start-up (default true; it is an idempotent bulk overwrite). */
  registerOnStart?: boolean;
  /** Told when each interaction was acknowledged and answered (the latency histograms). */
  onAnswered?: FlowDeps['onAnswered'];
  /**
   * Several replicas: the gateway connects only while this lease is held (REST delivery works
   * either way). Called once with the gateway's controls; without it the gateway connects at start.
   */
  gatewayLease?: (gateway: GatewayControl) => { start(): Promise<void>; stop(): Promise<void> };
}

export interface GatewayControl {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface DiscordAdapter extends Adapter {
  /** The REST client; also the gateway's without a lease (with one, each term gets a fresh gateway client). */
  readonly client: Client;
  /** The client connected to the gateway right now, if any. */
  readonly gatewayClient: Client | undefined;
  findDelivered(destination: Destination, digestId: string): Promise<FoundDigest | undefined>;
}

/** Registers the commands; on failure the last registration keeps working, so say why and carry on. */
export async function registerAtStart(rest: REST, discord: NonNullable<AppConfig['discord']>, logger: Logger): Promise<void> {
  try {
    const r = await putCommands(rest, discord);
    logger.info({ ...r }, 'discord commands registered');
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'discord command registration failed');
  }
}

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const discord = opts.config.discord;
  if (!discord) throw new PaperboyError('config', 'Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID.');
  const { logger } = opts;
  const tuning = { maxRateLimitWaitMs: opts.maxRateLimitWaitMs, requestTimeoutMs: opts.config.platformTimeoutMs };
  const client = createDiscordClient(discord, tuning);
  const codec = new ActionCodec();
  let gateway: Client | undefined;
  const delivery = new DiscordDelivery(client.rest, codec, () => opts.deps.clock.now(), () => (gateway ?? client).user?.id);
  let connected = false;
  let detail = 'not started';
  let stopped = false;
  const set = (up: boolean, why: string): void => {
    if (stopped) return; // destroy() emits disconnect events of its own
    connected = up;
    detail = why;
  };

  const wire = (c: Client): Client => {
    // Events of a gateway client already given up (lease lost) must not change the health.
    const mine = (up: boolean, why: string) => {
      if (gateway === c) set(up, why);
    };
    c.on(Events.InteractionCreate, (i) => {
      void handleInteraction(i, { deps: opts.deps, codec, logger, deferAfterMs: opts.deferAfterMs ?? 1500, ...(opts.onAnswered ? { onAnswered: opts.onAnswered } : {}) });
    });
    c.on(Events.ClientReady, (r) => mine(true, `logged in as ${r.user.tag}`));
    c.on(Events.ShardResume, () => mine(true, 'resumed'));
    c.on(Events.ShardReady, () => mine(true, 'ready'));
    c.on(Events.ShardDisconnect, (ev) => mine(false, `disconnected (${ev.code})`));
    c.on(Events.ShardReconnecting, () => mine(false, 'reconnecting'));
    c.on(Events.ShardError, (err) => logger.warn({ err: err.message }, 'discord gateway error'));
    c.on(Events.Error, (err) => logger.error({ err: err.message }, 'discord client error'));
    c.on(Events.Warn, (msg) => logger.warn({ msg }, 'discord warning'));
    return c;
  };
  wire(client);

  async function login(c: Client): Promise<void> {
    gateway = c;
    const ready = once(c, Events.ClientReady);
    try {
      await c.login(discord!.token);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      set(false, `login failed: ${msg}`);
      gateway = undefined;
      throw new PaperboyError('config', `Discord login failed: ${msg}. Check DISCORD_TOKEN and DISCORD_API_URL.`, undefined, { cause: err });
    }
    await ready;
  }

  // With a lease, each term logs in a fresh client: a destroyed discord.js client does not reconnect.
  const lease = opts.gatewayLease?.({
    async connect() {
      if (gateway || stopped) return;
      logger.info({}, 'this replica now holds the Discord gateway');
      await login(wire(createDiscordClient(discord, tuning)));
    },
    async disconnect() {
      const c = gateway;
      gateway = undefined;
      if (!stopped) set(true, 'standby: another replica holds the gateway; REST delivery only');
      await c?.destroy();
    },
  });

  return {
    platform: 'discord',
    client,
    get gatewayClient() {
      return gateway;
    },
    async start() {
      stopped = false;
      client.rest.setToken(discord.token);
      if (opts.registerOnStart !== false) await registerAtStart(client.rest, discord, logger);
      if (!lease) return login(client);
      set(true, 'standby: another replica holds the gateway; REST delivery only');
      await lease.start();
    },
    async stop() {
      if (lease) await lease.stop();
      set(false, 'stopped');
      stopped = true;
      const c = gateway;
      gateway = undefined;
      await c?.destroy();
      if (c !== client) await client.destroy();
    },
    async deliver(destination: Destination, message: Reply, progress?: DeliveryProgress) {
      await delivery.deliver(destination, message, progress);
    },
    findDelivered(destination: Destination, digestId: string) {
      return delivery.findDelivered(destination, digestId);
    },
    health() {
      return { connected, detail };
    },
  };
}
