/**
 * The Discord adapter: a discord.js Client that registers the commands, answers interactions,
 * delivers digests and reports its connection for /healthz.
 */
import { once } from 'node:events';
import { Events, type Client } from 'discord.js';
import type { AppConfig } from '../../config.ts';
import type { CoreDeps } from '../../core/commands/index.ts';
import { PaperboyError, type Adapter, type Destination, type Logger, type Reply } from '../../core/index.ts';
import { createDiscordClient } from './client.ts';
import { putCommands } from './commands.ts';
import { ActionCodec } from './custom-id.ts';
import { DiscordDelivery } from './deliver.ts';
import { handleInteraction } from './interactions.ts';

export interface DiscordAdapterOptions {
  config: AppConfig;
  deps: CoreDeps;
  logger: Logger;
  /** Reply directly when the core answers within this many ms, else defer (default 1500; 0 always defers). */
  deferAfterMs?: number;
  /** 429s asking to wait longer than this fail as DeliveryError('rate_limited') instead (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** Register the slash commands at start-up (default true; it is an idempotent bulk overwrite). */
  registerOnStart?: boolean;
}

export interface DiscordAdapter extends Adapter {
  readonly client: Client;
  findDelivered(destination: Destination, digestId: string): Promise<{ paperIds: string[] } | undefined>;
}

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const discord = opts.config.discord;
  if (!discord) throw new PaperboyError('config', 'Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID.');
  const { logger } = opts;
  const client = createDiscordClient(discord, { maxRateLimitWaitMs: opts.maxRateLimitWaitMs });
  const codec = new ActionCodec();
  const delivery = new DiscordDelivery(client.rest, codec, () => opts.deps.clock.now(), () => client.user?.id);
  let connected = false;
  let detail = 'not started';
  let stopped = false;
  const set = (up: boolean, why: string): void => {
    if (stopped) return; // destroy() emits disconnect events of its own
    connected = up;
    detail = why;
  };

  client.on(Events.InteractionCreate, (i) => {
    void handleInteraction(i, { deps: opts.deps, codec, logger, deferAfterMs: opts.deferAfterMs ?? 1500 });
  });
  client.on(Events.ClientReady, (c) => set(true, `logged in as ${c.user.tag}`));
  client.on(Events.ShardResume, () => set(true, 'resumed'));
  client.on(Events.ShardReady, () => set(true, 'ready'));
  client.on(Events.ShardDisconnect, (ev) => set(false, `disconnected (${ev.code})`));
  client.on(Events.ShardReconnecting, () => set(false, 'reconnecting'));
  client.on(Events.ShardError, (err) => logger.warn({ err: err.message }, 'discord gateway error'));
  client.on(Events.Error, (err) => logger.error({ err: err.message }, 'discord client error'));
  client.on(Events.Warn, (msg) => logger.warn({ msg }, 'discord warning'));

  return {
    platform: 'discord',
    client,
    async start() {
      stopped = false;
      client.rest.setToken(discord.token);
      if (opts.registerOnStart !== false) {
        try {
          const r = await putCommands(client.rest, discord);
          logger.info({ ...r }, 'discord commands registered');
        } catch (err) {
          // The commands from the last registration keep working; say why and carry on.
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'discord command registration failed');
        }
      }
      const ready = once(client, Events.ClientReady);
      try {
        await client.login(discord.token);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        set(false, `login failed: ${msg}`);
        throw new PaperboyError('config', `Discord login failed: ${msg}. Check DISCORD_TOKEN and DISCORD_API_URL.`, undefined, { cause: err });
      }
      await ready;
    },
    async stop() {
      set(false, 'stopped');
      stopped = true;
      await client.destroy();
    },
    async deliver(destination: Destination, message: Reply) {
      await delivery.deliver(destination, message);
    },
    findDelivered(destination: Destination, digestId: string) {
      return delivery.findDelivered(destination, digestId);
    },
    health() {
      return { connected, detail };
    },
  };
}
