/**
 * Builds requests the way Slack sends them: `v0` HMAC-SHA256 over `v0:timestamp:body` in
 * `X-Slack-Signature`, form-encoded slash-command bodies, and interactive payloads as `payload=<json>`.
 */
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, contentType: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body),
  };
}

export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  response_url: string;
  team_id?: string;
  channel_name?: string;
  user_name?: string;
  trigger_id?: string;
}

export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: c.team_id ?? 'T0PAPER',
    team_domain: 'paperboy-test',
    channel_id: c.channel_id,
    channel_name: c.channel_name ?? (c.channel_id.startsWith('D') ? 'directmessage' : 'research'),
    user_id: c.user_id,
    user_name: c.user_name ?? c.user_id.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: 'A0PAPER',
    is_enterprise_install: 'false',
    response_url: c.response_url,
    trigger_id: c.trigger_id ?? `${Date.now()}.1.abc`,
  }).toString();
}

export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed body to Bolt's `/slack/events`; returns the HTTP status and text. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  opts: { contentType?: string; timestamp?: number; signature?: string } = {},
): Promise<{ status: number; text: string }> {
  const headers = signedHeaders(secret, body, opts.contentType ?? 'application/x-www-form-urlencoded', opts.timestamp);
  if (opts.signature) headers['x-slack-signature'] = opts.signature;
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}
