/** Discord failures -> the neutral DeliveryError the scheduler records on a destination. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../core/index.ts';
import { isGatewayStatus, transportReason, UNKNOWN_REASONS } from '../../delivery/outcome.ts';

/** Discord JSON error codes Paperboy treats specially. */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownUser: 10013,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  MissingPermissions: 50013,
  ThreadAlreadyCreated: 160004,
} as const;

export function toDeliveryError(err: unknown, where: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    return new DeliveryError('rate_limited', `Discord rate-limited ${where}; retry in ${Math.ceil(err.retryAfter / 1000)} s.`, false, err.retryAfter, { cause: err });
  }
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) return new DeliveryError('token_revoked', 'Discord rejected the bot token (401): reset DISCORD_TOKEN.', true, undefined, { cause: err });
    switch (err.code) {
      case DiscordCode.MissingPermissions:
      case DiscordCode.MissingAccess:
        return new DeliveryError('missing_permission', `The bot lacks permission to post in ${where} (View Channel, Send Messages, Embed Links; Create Public Threads for forums).`, true, undefined, { cause: err });
      case DiscordCode.UnknownChannel:
        return new DeliveryError('channel_not_found', `${where} no longer exists (Unknown Channel).`, true, undefined, { cause: err });
      case DiscordCode.UnknownUser:
        return new DeliveryError('user_not_found', `${where}: Discord does not know this user.`, true, undefined, { cause: err });
      case DiscordCode.CannotSendToUser:
        return new DeliveryError('dm_closed', `${where} does not accept direct messages from the bot.`, true, undefined, { cause: err });
      default:
        break;
    }
    if (err.status === 429) return new DeliveryError('rate_limited', `Discord rate-limited ${where}.`, false, undefined, { cause: err });
    return new DeliveryError('platform_error', `Discord refused the message to ${where}: ${err.status} ${err.message}`, err.status >= 500 ? false : err.status === 400, undefined, { cause: err });
  }
  if (err instanceof HTTPError) {
    // A proxy's 502/503/504 may hide a message Discord took: its outcome is unknown.
    const reason = isGatewayStatus(err.status) ? UNKNOWN_REASONS.badGateway : 'platform_error';
    return new DeliveryError(reason, `Discord failed (${err.status}) for ${where}.`, false, undefined, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  const transport = transportReason(err);
  if (transport === 'network') return new DeliveryError('network_error', `Could not reach Discord for ${where}: ${message}`, false, undefined, { cause: err });
  const what = transport === 'timeout' ? 'did not answer in time' : 'dropped the connection before answering';
  return new DeliveryError(transport, `Discord ${what} for ${where} (${message}); the message may have arrived.`, false, undefined, { cause: err });
}
