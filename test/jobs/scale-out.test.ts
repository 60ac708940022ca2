/**
 * The scale-out proof: three replicas of the real bot (child processes) share one fresh
 * PostgreSQL database and deliver to 1,000 channels of the Slack stand-in through pg-boss. One
 * replica is SIGKILLed in the middle of the fan-out; its jobs expire and the others take them
 * over. Every channel must end with exactly one digest, recorded as sent in the ledger.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { digestId } from '../../src/delivery/index.ts';
import { openStore } from '../../src/store/index.ts';
import { seedStore, type Seeded } from '../delivery/crash-seed.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack/web-api-stand-in.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { logCount, startReplica, until, type Replica } from './replicas.ts';

const DESTINATIONS = Number(process.env.PAPERBOY_SCALE_DESTINATIONS) || 1000;
const BOT_TOKEN = 'xoxb-scale-out-test';
const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('scale-out proof'));

describe.skipIf(!adminUrl)('scale-out proof: three replicas, one killed mid fan-out, exactly one digest each', () => {
  let db: TestDatabase;
  let slack: SlackStandIn;
  let seeded: Seeded;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    seeded = await seedStore(db.url, DESTINATIONS, new Date());
    slack = await startSlackStandIn({
      botToken: BOT_TOKEN,
      channels: seeded.channels.map((id) => ({ id })),
      // History scopes: a replica taking over a dead one's job asks Slack whether the digest arrived.
      scopes: ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'im:history'],
    });
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) if (!r.dead) r.proc.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await slack?.close();
    await db?.drop();
  });

  it(`delivers to ${DESTINATIONS} channels once each`, async () => {
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: 'scale-out-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      // Nothing to fetch (the seed marked today fetched); a closed loopback port if it ever were.
      HF_ENDPOINT: 'http://127.0.0.1:9',
      LOG_LEVEL: 'info',
      JOB_CONCURRENCY: '8',
      JOB_POLL_SECONDS: '0.5',
      // Short so the test sees a dead replica's jobs taken over within seconds.
      JOB_EXPIRE_SECONDS: '6',
      JOB_MAINTENANCE_SECONDS: '1',
      JOB_RETRY_DELAY_SECONDS: '1',
    };
    for (const name of ['a', 'b', 'c']) replicas.push(startReplica(name, env));
    const okPosts = () => slack.callsOf('chat.postMessage').filter((c) => c.outcome === 'ok').length;

    // Kill replica a once the fan-out is well under way (between a fifth and two fifths done).
    const killAt = Math.floor(DESTINATIONS * (0.2 + Math.random() * 0.2));
    await until(`${killAt} posts`, () => okPosts() >= killAt, replicas);
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    // The victim is a replica busy with digest jobs right now: it holds destination locks (its lock
    // pool names itself by pid), so killing it really leaves jobs for the others to take over.
    let victim: Replica | undefined;
    await until('a replica holding destination locks', async () => {
      const { rows } = await pgc.query(
        `SELECT a.application_name AS app, count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
         WHERE l.locktype = 'advisory' AND a.application_name LIKE 'paperboy-locks:%' GROUP BY 1 ORDER BY 2 DESC`,
      );
      const busiest = rows.map((row) => replicas.find((r) => row.app === `paperboy-locks:${r.proc.pid}`)).find(Boolean);
      victim = busiest;
      return victim !== undefined;
    }, replicas);
    victim!.proc.kill('SIGKILL');
    await victim!.exited;
    const postsAtKill = okPosts();
    const survivors = replicas.filter((r) => r !== victim);

    try {
      // Jobs the victim held: still active a few seconds after the kill, when the survivors' own
      // jobs of that moment are long done. They must be taken over and completed by the others.
      const killedAt = (await pgc.query(`SELECT now() AS t`)).rows[0].t as Date;
      await new Promise((r) => setTimeout(r, 3000));
      const orphans = (
        await pgc.query(`SELECT id FROM pgboss.job WHERE name = 'paperboy-digest' AND state = 'active' AND started_on < $1`, [killedAt])
      ).rows.map((r) => r.id as string);
      await until('every channel posted to', () => seeded.channels.every((c) => (slack.messages.get(c)?.length ?? 0) >= 1), survivors, 180_000);
      // Then until no digest job is left waiting, retrying or active: nobody can still post.
      const open = async () =>
        Number((await pgc.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest' AND state < 'completed'`)).rows[0].n);
      await until('the digest queue drained', async () => (await open()) === 0, survivors, 120_000);
      const taken = await pgc.query(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest' AND retry_count > 0`,
      );
      // Killed mid fan-out with 8 workers busy: it held jobs, so the takeover really was exercised.
      expect(orphans.length, 'jobs the killed replica held').toBeGreaterThan(0);
      {
        const after = await pgc.query(`SELECT state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`, [orphans]);
        expect(after.rows.every((r) => r.state === 'completed' && r.retry_count >= 1), JSON.stringify(after.rows)).toBe(true);
      }
      const keys = await pgc.query(`SELECT count(DISTINCT singleton_key) AS n FROM pgboss.job WHERE name = 'paperboy-digest'`);
      // One job (at least) per destination and day: every destination was queued.
      expect(Number(keys.rows[0].n)).toBe(DESTINATIONS);
      console.log(
        `scale-out proof: ${DESTINATIONS} destinations, replica ${victim!.name} killed after ${postsAtKill} posts holding ${orphans.length} active jobs (taken over and completed by the other two); ` +
          `${taken.rows[0].n} jobs retried after the kill; reconciled as already delivered: ${survivors.map((r) => logCount(r, 'interrupted digest had arrived; recorded as sent')).join('+')}`,
      );
    } finally {
      await pgc.end();
    }

    for (const r of survivors) r.proc.kill('SIGTERM');
    expect(await Promise.all(survivors.map((r) => r.exited))).toEqual([0, 0]);

    expect(postsAtKill).toBeLessThan(DESTINATIONS);
    const dupes = seeded.channels.filter((c) => slack.messages.get(c)!.length !== 1);
    expect(dupes, 'channels with other than one digest').toEqual([]);
    const store = await openStore(db.url, { logger: silentLogger });
    try {
      for (const [i, key] of seeded.keys.entries()) {
        const msg = slack.messages.get(seeded.channels[i]!)![0]!;
        expect(msg.metadata?.event_payload.digest_id).toBe(digestId(key, seeded.day));
        expect(await store.digestStatus(key, seeded.day)).toBe('sent');
      }
    } finally {
      await store.close();
    }
  }, 420_000);
});
