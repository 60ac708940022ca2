/** Discord's limits are kept by discord.js's REST queue as Paperboy configures it. */
import { describe, expect, it } from 'vitest';
import { createDiscordClient } from '../../src/bots/discord/client.ts';

describe('Discord REST limits', () => {
  it('keeps the standard global 50 requests per second and lets per-route buckets queue (429s over a minute rejected)', async () => {
    const client = createDiscordClient({ token: 't', applicationId: '1', apiUrl: 'http://127.0.0.1:9/api' });
    try {
      expect(client.rest.options.globalRequestsPerSecond).toBe(50);
      const reject = client.rest.options.rejectOnRateLimit as (d: { retryAfter: number }) => boolean;
      expect(reject({ retryAfter: 5_000 })).toBe(false);
      expect(reject({ retryAfter: 120_000 })).toBe(true);
    } finally {
      await client.destroy();
    }
  });
});
