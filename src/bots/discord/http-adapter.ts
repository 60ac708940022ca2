/**
 * The Discord adapter in HTTP-interactions mode (DISCORD_PUBLIC_KEY set): Discord POSTs signed
 * interactions to /discord/interactions on PORT, any replica answers, and digests go out over
 * REST. No gateway session, so no leader lease and no sharding.
 */
import { Routes } from 'discord-api-types/v10';
import type { AppConfig } from '../../config.ts';
import type { CoreDeps } from '../../core/commands/index.ts';
import { PaperboyError, type Adapter, type DeliveryProgress, type Destination, type FoundDigest, type Logger, type Reply } from '../../core/index.ts';
import type { HttpRoute } from '../../http/index.ts';
import { registerAtStart, type DiscordAdapterOptions } from './adapter.ts';
import { createDiscordRest } from './client.ts';
import { ActionCodec } from './custom-id.ts';
import { DiscordDelivery } from './deliver.ts';
import { INTERACTIONS_PATH, interactionsRoute } from './http-interactions.ts';
import type { FlowDeps } from './interaction-flow.ts';
import { publicKeyOf } from './signature.ts';

/** As in gateway mode, without the lease: every replica answers. */
export type DiscordHttpAdapterOptions = Omit<DiscordAdapterOptions, 'gatewayLease'>;

export interface DiscordHttpAdapter extends Adapter {
  readonly mode: 'http';
  /** POST /discord/interactions, for whichever server listens on PORT. */
  readonly routes: HttpRoute[];
  findDelivered(destination: Destination, digestId: string): Promise<FoundDigest | undefined>;
}

export function createDiscordHttpAdapter(opts: DiscordHttpAdapterOptions): DiscordHttpAdapter {
  const discord = opts.config.discord;
  if (!discord?.publicKey) throw new PaperboyError('config', 'Discord HTTP interactions need DISCORD_PUBLIC_KEY (and DISCORD_TOKEN, DISCORD_APPLICATION_ID).');
  const { logger } = opts;
  const rest = createDiscordRest(discord, { maxRateLimitWaitMs: opts.maxRateLimitWaitMs, requestTimeoutMs: opts.config.platformTimeoutMs });
  const codec = new ActionCodec();
  let selfId: string | undefined;
  const delivery = new DiscordDelivery(rest, codec, () => opts.deps.clock.now(), () => selfId);
  let connected = false;
  let detail = 'not started';
  const flow: FlowDeps = {
    deps: opts.deps, codec, logger, deferAfterMs: opts.deferAfterMs ?? 1500, ...(opts.onAnswered ? { onAnswered: opts.onAnswered } : {}),
  };
  const route = interactionsRoute({ flow, publicKey: publicKeyOf(discord.publicKey), rest, applicationId: discord.applicationId, now: () => Date.now() });

  return {
    platform: 'discord',
    mode: 'http',
    routes: [route],
    async start() {
      if (opts.registerOnStart !== false) await registerAtStart(rest, discord, logger);
      try {
        // Only the bot's own messages count when looking for an interrupted digest.
        selfId = ((await rest.get(Routes.user())) as { id?: string }).id;
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not read the Discord bot user; any bot message counts when reconciling');
      }
      connected = true;
      detail = `HTTP interactions at ${INTERACTIONS_PATH} (no gateway)`;
      logger.info({ path: INTERACTIONS_PATH }, 'discord HTTP interactions ready');
    },
    async stop() {
      connected = false;
      detail = 'stopped';
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
    async deliver(destination: Destination, message: Reply, progress?: DeliveryProgress) {
      await delivery.deliver(destination, message, progress);
    },
    findDelivered: (destination, digestId) => delivery.findDelivered(destination, digestId),
    health: () => ({ connected, detail }),
  };
}
