/**
 * The at-most-once proof: the real bot (`paperboy start`, a child process with the JSON store and
 * the Slack adapter) delivers to 200 channels of the Slack stand-in; it is killed with SIGKILL at a
 * random point of the fan-out, restarted, and every channel must end with exactly one digest.
 * 20 rounds (PAPERBOY_SOAK=1: 100).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { digestId } from '../../src/delivery/index.ts';
import { openStore } from '../../src/store/index.ts';
import { testRng } from '../support/seed.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack/web-api-stand-in.ts';
import { seedStore } from './crash-seed.ts';
import { BOT_TOKEN, dirs, startBot, until } from './bot-process.ts';

const ROUNDS = Number(process.env.PAPERBOY_CRASH_ROUNDS) || (process.env.PAPERBOY_SOAK === '1' ? 100 : 20);
const DESTINATIONS = 200;
const PARALLEL = Math.max(1, Number(process.env.PAPERBOY_CRASH_PARALLEL) || 2);

const okPosts = (s: SlackStandIn) => s.callsOf('chat.postMessage').filter((c) => c.outcome === 'ok').length;

describe('crash test: SIGKILL during the fan-out, restart, exactly one digest each', () => {
  it(`holds for ${ROUNDS} rounds of ${DESTINATIONS} destinations`, async () => {
    const stats = { kills: 0, reconciled: 0, resent: 0 };
    const rng = testRng('delivery crash test');
    const runRound = async (round: number): Promise<void> => {
      // One generator per round: rounds run side by side, and replay must not depend on their order.
      const rand = rng.fork(round);
      const dir = await mkdtemp(join(tmpdir(), 'paperboy-crash-'));
      dirs.push(dir);
      const databaseUrl = `file:${join(dir, 'paperboy.json')}`;
      const seeded = await seedStore(databaseUrl, DESTINATIONS, new Date());
      // A token with the history scopes, so the bot can look for a digest a kill interrupted.
      const slack = await startSlackStandIn({
        botToken: BOT_TOKEN,
        channels: seeded.channels.map((id) => ({ id })),
        scopes: ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'im:history'],
      });
      try {
        // One or two kills per round, each at a random number of posts, plus a random few ms.
        const kills = round % 5 === 0 ? 2 : 1;
        for (let k = 0; k < kills; k++) {
          const done = okPosts(slack);
          if (done >= DESTINATIONS - 1) break;
          const target = done + 1 + rand.int(DESTINATIONS - 1 - done);
          const child = startBot(dir, databaseUrl, slack.apiUrl);
          await until(`${target} posts`, () => okPosts(slack) >= target, child);
          await new Promise((r) => setTimeout(r, rand.int(15)));
          child.proc.kill('SIGKILL');
          await child.exited;
          stats.kills++;
        }
        const before = okPosts(slack);
        const child = startBot(dir, databaseUrl, slack.apiUrl);
        await until('every channel posted to', () => seeded.channels.every((c) => (slack.messages.get(c)?.length ?? 0) >= 1), child);
        // The killed bots may have posted everything already: wait until this one handles SIGTERM
        // (its handlers are set before the adapters start), or the signal kills it while it is still
        // loading. In Slack's HTTP mode the adapter serves /healthz itself, so no 'health endpoint' line.
        await until('the bot started', () => /"msg":"(Slack adapter started|health endpoint listening)"/.test(child.log.join('')), child);
        child.proc.kill('SIGTERM');
        expect(await child.exited).toBe(0);
        const log = child.log.join('');
        stats.reconciled += (log.match(/interrupted digest had arrived/g) ?? []).length;
        stats.resent += okPosts(slack) - before;

        // Exactly one message per channel, carrying that destination's digest id.
        const dupes = seeded.channels.filter((c) => slack.messages.get(c)!.length !== 1);
        expect(dupes, `round ${round} (seed ${rng.seed}): channels with more than one digest`).toEqual([]);
        const store = await openStore(databaseUrl, { logger: silentLogger });
        try {
          for (const [i, key] of seeded.keys.entries()) {
            const msg = slack.messages.get(seeded.channels[i]!)![0]!;
            expect(msg.metadata?.event_payload.digest_id).toBe(digestId(key, seeded.day));
            expect(await store.digestStatus(key, seeded.day)).toBe('sent');
            // The papers the message carried count as delivered, also when a reconcile recorded them.
            const ids = String(msg.metadata?.event_payload.paper_ids ?? '').split(',').filter(Boolean);
            // Each topic is a word of a paper's title: every digest carries real papers.
            expect(ids.length).toBeGreaterThan(0);
            expect((await store.deliveredPapers(key, ids)).size).toBe(ids.length);
            expect((await store.getDestination(key))?.state.lastDigestDay).toBe(seeded.day);
          }
        } finally {
          await store.close();
        }
      } finally {
        await slack.close();
      }
    };
    // Rounds are independent (own store, own stand-in): a few run side by side to keep CI time down.
    for (let round = 1; round <= ROUNDS; round += PARALLEL) {
      const batch = Array.from({ length: Math.min(PARALLEL, ROUNDS - round + 1) }, (_, i) => runRound(round + i));
      await Promise.all(batch);
    }
    console.log(`crash test: ${ROUNDS} rounds, ${stats.kills} kills, ${stats.reconciled} interrupted digests found delivered, ${stats.resent} sent after restarts`);
    expect(stats.kills).toBeGreaterThanOrEqual(ROUNDS);
  }, 900_000);
});
