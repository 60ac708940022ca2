/**
 * The discord.js Client Paperboy runs: only the Guilds intent (slash commands, buttons and DMs
 * sent by the bot need nothing privileged), REST pointed at DISCORD_API_URL, no mentions ever.
 */
import { Client, GatewayIntentBits, type RateLimitData } from 'discord.js';
import type { AppConfig } from '../../config.ts';

export interface ClientTuning {
  /** 429s asking to wait longer than this are rejected (and mapped to DeliveryError) instead of waited out. */
  maxRateLimitWaitMs?: number;
}

export function createDiscordClient(discord: NonNullable<AppConfig['discord']>, tuning: ClientTuning = {}): Client {
  const maxWait = tuning.maxRateLimitWaitMs ?? 60_000;
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: {
      api: discord.apiUrl.replace(/\/+$/, ''),
      rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxWait,
    },
  });
}
