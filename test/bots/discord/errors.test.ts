import { describe, expect, it } from 'vitest';
import { DiscordAPIError, HTTPError } from 'discord.js';
import { toDeliveryError } from '../../../src/bots/discord/index.ts';
import { DeliveryError } from '../../../src/core/index.ts';
import { classifySendFailure } from '../../../src/delivery/index.ts';

const api = (code: number, status: number, message = 'x'): DiscordAPIError =>
  new DiscordAPIError({ code, message }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/1/messages', { body: {} });

describe('toDeliveryError', () => {
  it.each([
    [50013, 403, 'missing_permission', true],
    [50001, 403, 'missing_permission', true],
    [10003, 404, 'channel_not_found', true],
    [10013, 404, 'user_not_found', true],
    [50007, 403, 'dm_closed', true],
    [0, 401, 'token_revoked', true],
    [50035, 400, 'platform_error', true],
    [0, 502, 'platform_error', false],
  ])('Discord code %i with status %i -> %s (permanent %s)', (code, status, reason, permanent) => {
    const e = toDeliveryError(api(code, status), 'channel 1');
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e).toMatchObject({ reason, permanent, code: 'delivery' });
    expect(e.message).toContain(reason === 'token_revoked' ? 'DISCORD_TOKEN' : '');
  });

  it('treats HTTP failures and network errors as transient, telling unknown outcomes apart', () => {
    const http = (status: number) => toDeliveryError(new HTTPError(status, 'x', 'POST', 'u', { body: {} }), 'c');
    expect(http(500)).toMatchObject({ reason: 'platform_error', permanent: false });
    expect(classifySendFailure(http(500))).toBe('not_sent');
    for (const status of [502, 503, 504]) {
      expect(http(status)).toMatchObject({ reason: 'bad_gateway', permanent: false });
      expect(classifySendFailure(http(status))).toBe('unknown');
    }
    const refused = toDeliveryError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), 'c');
    expect(refused).toMatchObject({ reason: 'network_error', permanent: false });
    expect(classifySendFailure(refused)).toBe('not_sent');
    expect(toDeliveryError(new Error('connect ECONNREFUSED'), 'c')).toMatchObject({ reason: 'network_error', permanent: false });
    const reset = toDeliveryError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 'c');
    expect(reset).toMatchObject({ reason: 'connection_lost', permanent: false });
    const late = toDeliveryError(new DOMException('This operation was aborted', 'AbortError'), 'c');
    expect(late).toMatchObject({ reason: 'timeout', permanent: false });
    expect([reset, late].map(classifySendFailure)).toEqual(['unknown', 'unknown']);
    const already = new DeliveryError('dm_closed', 'closed', true);
    expect(toDeliveryError(already, 'c')).toBe(already);
  });
});
