/**
 * The discord.js Client Paperboy runs: only the Guilds intent (slash commands, buttons and DMs
 * sent by the bot need nothing privileged), REST pointed at DISCORD_API_URL, no mentions ever.
 * HTTP-interactions mode has no Client at all, only the REST client with the same settings.
 */
import { REST, type RESTOptions } from '@discordjs/rest';
import { Client, GatewayIntentBits, type RateLimitData } from 'discord.js';
import type { AppConfig } from '../../config.ts';

export interface ClientTuning {
  /** 429s asking to wait longer than this are rejected (and mapped to DeliveryError) instead of waited out. */
  maxRateLimitWaitMs?: number;
  /** How long one request may take before it is aborted (PLATFORM_TIMEOUT_SECONDS). */
  requestTimeoutMs?: number;
}

function restOptions(discord: NonNullable<AppConfig['discord']>, tuning: ClientTuning): Partial<RESTOptions> {
  const maxWait = tuning.maxRateLimitWaitMs ?? 60_000;
  return {
    api: discord.apiUrl.replace(/\/+$/, ''),
    rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxWait,
    // No retries inside @discordjs/rest: it resends a timed-out or reset POST, and a 5xx, by itself.
    // Paperboy's delivery decides (it reads the channel back first); 429s are still waited out.
    retries: 0,
    timeout: tuning.requestTimeoutMs ?? 10_000,
  };
}

export function createDiscordClient(discord: NonNullable<AppConfig['discord']>, tuning: ClientTuning = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: restOptions(discord, tuning),
  });
}

/** A REST client alone (no gateway), with the bot token set. */
export function createDiscordRest(discord: NonNullable<AppConfig['discord']>, tuning: ClientTuning = {}): REST {
  return new REST(restOptions(discord, tuning)).setToken(discord.token);
}
