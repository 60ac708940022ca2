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
import { testRng } from '../support/seed.ts';
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
      // Small batches, so the fan-out is many jobs spread over the replicas and the kill leaves some.
      JOB_BATCH_SIZE: '10',
      JOB_POLL_SECONDS: '0.5',
      // Short so the test sees a dead replica's jobs taken over within seconds.
      JOB_EXPIRE_SECONDS: '6',
      JOB_MAINTENANCE_SECONDS: '1',
      JOB_RETRY_DELAY_SECONDS: '1',
    };
    for (const name of ['a', 'b', 'c']) replicas.push(startReplica(name, env));
    const okPosts = () => slack.callsOf('chat.postMessage').filter((c) => c.outcome === 'ok').length;

    // Kill replica a once the fan-out is well under way (between a fifth and two fifths done).
    const rng = testRng('scale-out proof');
    const killAt = Math.floor(DESTINATIONS * (0.2 + rng.next() * 0.2));
    await until(`${killAt} posts`, () => okPosts() >= killAt, replicas);
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    // The victim is a replica busy with digest jobs right now. It is frozen (SIGSTOP) first, so the
    // jobs it works can be read without a race: a batch holds the advisory lock of each destination it is on
    // (src/jobs/locks.ts: space 0x5042, hashtext('destination:' || key)) on the victim's lock pool,
    // which names itself by pid. Those jobs can only end by expiring and being retried elsewhere.
    let victim: Replica | undefined;
    let orphans: string[] = [];
    await until('a replica frozen while holding destination locks', async () => {
      const { rows } = await pgc.query(
        `SELECT a.application_name AS app, count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
         WHERE l.locktype = 'advisory' AND a.application_name LIKE 'paperboy-locks:%' GROUP BY 1 ORDER BY 2 DESC`,
      );
      const busiest = rows.map((row) => replicas.find((r) => row.app === `paperboy-locks:${r.proc.pid}`)).find(Boolean);
      if (!busiest) return false;
      busiest.proc.kill('SIGSTOP');
      const held = await pgc.query(
        `SELECT DISTINCT j.id FROM pgboss.job j
         CROSS JOIN LATERAL jsonb_array_elements_text(j.data->'keys') k
         JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.classid = $2 AND l.objsubid = 2
           AND l.objid = hashtext('destination:' || k)::oid
         JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE j.name = 'paperboy-digest' AND j.state = 'active' AND a.application_name = $1`,
        [`paperboy-locks:${busiest.proc.pid}`, 0x5042],
      );
      if (held.rows.length === 0) {
        busiest.proc.kill('SIGCONT'); // it had just finished its jobs: let it go on, look again
        return false;
      }
      victim = busiest;
      orphans = held.rows.map((r) => r.id as string);
      return true;
    }, replicas);
    victim!.proc.kill('SIGKILL');
    await victim!.exited;
    const postsAtKill = okPosts();
    const survivors = replicas.filter((r) => r !== victim);

    try {
      await until('every channel posted to', () => seeded.channels.every((c) => (slack.messages.get(c)?.length ?? 0) >= 1), survivors, 180_000);
      // Then until no digest job is left waiting, retrying or active: nobody can still post.
      const open = async () =>
        Number((await pgc.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest' AND state < 'completed'`)).rows[0].n);
      await until('the digest queue drained', async () => (await open()) === 0, survivors, 120_000);
      const taken = await pgc.query(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest' AND retry_count > 0`,
      );
      // Every job the victim held when it was killed was taken over (retried) and completed.
      expect(orphans.length, 'jobs the killed replica held').toBeGreaterThan(0);
      {
        const after = await pgc.query(`SELECT id, state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`, [orphans]);
        expect(after.rows).toHaveLength(orphans.length);
        expect(after.rows.filter((r) => !(r.state === 'completed' && r.retry_count >= 1)), `seed ${rng.seed}: held jobs not taken over`).toEqual([]);
      }
      const keys = await pgc.query(
        `SELECT count(DISTINCT k) AS n FROM pgboss.job, jsonb_array_elements_text(data->'keys') k WHERE name = 'paperboy-digest'`,
      );
      // Every destination was in a batch.
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
