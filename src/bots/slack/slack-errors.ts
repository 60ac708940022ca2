/** Slack Web API failures -> the neutral DeliveryError (permanent ones stop retries for that destination). */
import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../core/index.ts';
import { isGatewayStatus, transportReason, UNKNOWN_REASONS } from '../../delivery/outcome.ts';

const PERMANENT: Record<string, { reason: string; message: string }> = {
  not_in_channel: { reason: 'missing_permission', message: 'Paperboy is not a member of this channel; invite it with /invite @Paperboy.' },
  channel_not_found: { reason: 'channel_not_found', message: 'The channel was not found (deleted, private without Paperboy, or another workspace).' },
  is_archived: { reason: 'channel_archived', message: 'The channel is archived.' },
  invalid_auth: { reason: 'token_revoked', message: 'Slack refused the bot token (invalid_auth); check SLACK_BOT_TOKEN.' },
  not_authed: { reason: 'token_revoked', message: 'No bot token was accepted (not_authed); check SLACK_BOT_TOKEN.' },
  token_revoked: { reason: 'token_revoked', message: 'The bot token was revoked; reinstall the app and update SLACK_BOT_TOKEN.' },
  token_expired: { reason: 'token_revoked', message: 'The bot token expired; reinstall the app and update SLACK_BOT_TOKEN.' },
  account_inactive: { reason: 'token_revoked', message: 'The app was uninstalled or its bot user deactivated (account_inactive).' },
  missing_scope: { reason: 'missing_permission', message: 'The bot token lacks a scope; reinstall the app from slack-manifest.yml.' },
  restricted_action: { reason: 'missing_permission', message: 'The workspace does not allow Paperboy to post here.' },
  cannot_dm_bot: { reason: 'dm_closed', message: 'That user is a bot and cannot get direct messages.' },
  user_not_found: { reason: 'user_not_found', message: 'The user was not found in this workspace.' },
  user_disabled: { reason: 'user_not_found', message: 'The user account is deactivated.' },
  user_not_visible: { reason: 'dm_closed', message: 'Paperboy cannot see that user.' },
  invalid_blocks: { reason: 'invalid_message', message: 'Slack rejected the message blocks (invalid_blocks).' },
  msg_too_long: { reason: 'invalid_message', message: 'The message was too long for Slack.' },
};

export interface SlackErrorInfo {
  /** Slack's error code (`not_in_channel`), `ratelimited`, `http_500`, or `network`. */
  code: string;
  retryAfterMs?: number;
}

export function slackErrorInfo(err: unknown): SlackErrorInfo {
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  switch (e?.code) {
    case webApi.ErrorCode.PlatformError:
      return { code: e.data?.error ?? 'unknown_error' };
    case webApi.ErrorCode.RateLimitedError:
      return { code: 'ratelimited', retryAfterMs: Math.max(0, (e.retryAfter ?? 1) * 1000) };
    case webApi.ErrorCode.HTTPError:
      return { code: `http_${e.statusCode ?? 'error'}` };
    default:
      return { code: 'network' };
  }
}

export function toDeliveryError(err: unknown, where: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const info = slackErrorInfo(err);
  const known = PERMANENT[info.code];
  if (known) return new DeliveryError(known.reason, `${where}: ${known.message}`, true, undefined, { cause: err });
  if (info.code === 'ratelimited') {
    return new DeliveryError('rate_limited', `${where}: Slack is rate limiting; retry later.`, false, info.retryAfterMs, { cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  const status = (err as { statusCode?: number }).statusCode;
  // Unknown outcomes (a late answer, a reset, a proxy's 502) are told apart from refusals.
  const reason = info.code === 'network' ? transportReason(err) : isGatewayStatus(status) ? UNKNOWN_REASONS.badGateway : 'platform_error';
  return new DeliveryError(reason, `${where}: Slack call failed (${info.code === 'network' ? reason : info.code}): ${detail}`, false, undefined, { cause: err });
}
