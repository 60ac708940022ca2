/** The one classification of failed sends: only "not sent" may be sent again without reading back. */
import { describe, expect, it } from 'vitest';
import { DeliveryError, PaperboyError } from '../../src/core/index.ts';
import { beforePosting, classifySendFailure, transportReason } from '../../src/delivery/index.ts';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
/** What undici's fetch throws: a TypeError whose cause is the socket error. */
const fetchFailed = (cause: Error) => Object.assign(new TypeError('fetch failed'), { cause });

describe('classifySendFailure', () => {
  it.each([
    ['timeout', 'unknown'],
    ['connection_lost', 'unknown'],
    ['bad_gateway', 'unknown'],
    ['platform_error', 'not_sent'],
    ['network', 'not_sent'],
    ['rate_limited', 'not_sent'],
    ['missing_permission', 'not_sent'],
  ])('DeliveryError %s -> %s', (reason, outcome) => {
    expect(classifySendFailure(new DeliveryError(reason, 'x', false))).toBe(outcome);
  });

  it('counts an error that is not Paperboy\'s as unknown, and validation errors as not sent', () => {
    expect(classifySendFailure(new Error('boom'))).toBe('unknown');
    expect(classifySendFailure('boom')).toBe('unknown');
    expect(classifySendFailure(new PaperboyError('store', 'disk full'))).toBe('not_sent');
  });
});

describe('transportReason', () => {
  it('tells a connection never made from one that broke or went quiet', () => {
    expect(transportReason(fetchFailed(coded('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED')))).toBe('network');
    expect(transportReason(fetchFailed(coded('getaddrinfo ENOTFOUND slack.invalid', 'ENOTFOUND')))).toBe('network');
    expect(transportReason(fetchFailed(coded('read ECONNRESET', 'ECONNRESET')))).toBe('connection_lost');
    expect(transportReason(fetchFailed(coded('other side closed', 'UND_ERR_SOCKET')))).toBe('connection_lost');
    expect(transportReason(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe('timeout');
    expect(transportReason(new DOMException('This operation was aborted', 'AbortError'))).toBe('timeout');
    // The Slack WebClient wraps the fetch error as `original`.
    expect(transportReason({ code: 'slack_webapi_request_error', original: fetchFailed(coded('x', 'ECONNREFUSED')) })).toBe('network');
  });

  it('beforePosting turns an unknown outcome into not sent, and leaves others alone', () => {
    const lost = new DeliveryError('timeout', 'conversations.open timed out', false);
    expect(classifySendFailure(beforePosting(lost))).toBe('not_sent');
    const closed = new DeliveryError('dm_closed', 'closed', true);
    expect(beforePosting(closed)).toBe(closed);
  });
});
