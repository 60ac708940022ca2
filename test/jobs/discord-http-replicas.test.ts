/**
 * Discord over HTTP interactions at scale: three replicas of the real bot (`paperboy start` child
 * processes with DISCORD_PUBLIC_KEY) on one fresh PostgreSQL database and the Discord stand-in.
 * Each replica answers signed interactions sent straight to it (no gateway session anywhere, no
 * leader lease), they share one store, and the due channel digests still go out once each.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore, type Seeded } from '../delivery/crash-seed.ts';
import {
  DEFAULT_GUILD, MEMBER_PERMISSIONS, ChannelType, interactionSigner, postInteraction, slashInteraction, startDiscordStandIn, user,
  validateRequest, type DiscordStandIn, type InteractionWhere,
} from '../support/discord/index.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { startReplica, until, type Replica } from './replicas.ts';

type Json = Record<string, unknown>;
const CHANNELS = 24;
const channelId = (i: number) => `2100000000000${String(i).padStart(5, '0')}`;
const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('discord HTTP interactions on three replicas'));

/** The port a replica listens on, from its pino start-up line. */
function portOf(r: Replica): number | undefined {
  for (const line of r.log.join('').split('\n')) {
    if (!line.includes('HTTP endpoint listening')) continue;
    const port = (JSON.parse(line) as { port?: number }).port;
    if (port) return port;
  }
  return undefined;
}

describe.skipIf(!adminUrl)('Discord HTTP interactions: three replicas on PostgreSQL', () => {
  let db: TestDatabase;
  let stand: DiscordStandIn;
  let seeded: Seeded;
  const replicas: Replica[] = [];
  const signer = interactionSigner();
  const guild = { ...DEFAULT_GUILD, channels: Array.from({ length: CHANNELS }, (_, i) => ({ id: channelId(i), type: ChannelType.GuildText, name: `papers-${i}` })) };

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    seeded = await seedStore(db.url, CHANNELS, new Date(), (i) => ({ platform: 'discord', kind: 'channel', id: channelId(i), workspace: guild.id }));
    stand = await startDiscordStandIn({ guilds: [guild] });
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) if (!r.dead) r.proc.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await stand?.close();
    await db?.drop();
  });

  it('every replica answers interactions, no gateway is opened, each digest goes out once', async () => {
    const env = {
      DATABASE_URL: db.url, DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl,
      DISCORD_PUBLIC_KEY: signer.publicKeyHex, PORT: '0', HF_ENDPOINT: 'http://127.0.0.1:9', LOG_LEVEL: 'info', JOB_POLL_SECONDS: '0.5',
    };
    for (const name of ['a', 'b', 'c']) replicas.push(startReplica(name, env));
    await until('three replicas listening', () => replicas.every((r) => portOf(r) !== undefined), replicas);
    const urls = replicas.map((r) => `http://127.0.0.1:${portOf(r)}/discord/interactions`);

    const alice = user('300000000000000001', 'alice');
    const where: InteractionWhere = { user: alice, guild: { id: guild.id, channel: guild.channels[0]!, permissions: MEMBER_PERMISSIONS } };
    for (const url of urls) {
      const i = slashInteraction(stand.applicationId, where, { name: 'papers', options: { query: 'transformers' } });
      const r = await postInteraction(url, signer, i);
      expect(r.status, r.text).toBe(200);
      expect(validateRequest('POST', `/interactions/${String(i.id)}/${String(i.token)}/callback`, r.body).errors).toEqual([]);
      expect([4, 5]).toContain(r.body.type);
    }
    // One store behind them all: a topic added through one replica is listed by another.
    await postInteraction(urls[0]!, signer, slashInteraction(stand.applicationId, where, { name: 'topics', sub: 'add', options: { topic: 'reward models' } }));
    const listed = await postInteraction(urls[2]!, signer, slashInteraction(stand.applicationId, where, { name: 'topics', sub: 'list' }));
    expect(JSON.stringify(listed.body)).toContain('reward models');
    // A forgery is refused by every replica.
    for (const url of urls) expect((await postInteraction(url, signer, { type: 1 }, { key: interactionSigner().privateKey })).status).toBe(401);

    await until('every channel posted to', () => seeded.channels.every((c) => (stand.state.messages.get(c)?.length ?? 0) >= 1), replicas, 180_000);
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    try {
      const open = async () => Number((await pgc.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest' AND state < 'completed'`)).rows[0].n);
      await until('the digest queue drained', async () => (await open()) === 0, replicas, 120_000);
    } finally {
      await pgc.end();
    }
    for (const r of replicas) r.proc.kill('SIGTERM');
    expect(await Promise.all(replicas.map((r) => r.exited))).toEqual([0, 0, 0]);

    const counts = seeded.channels.map((c) => stand.state.messages.get(c)?.length ?? 0);
    expect(counts.filter((n) => n !== 1), 'channels with other than one digest').toEqual([]);
    expect(stand.gateway.identifies).toHaveLength(0);
    expect(stand.requests.filter((q) => q.path.startsWith('/gateway'))).toEqual([]);
    expect(stand.invalid).toEqual([]);
    const ready = replicas.map((r) => r.log.join('').split('\n').filter((l) => l.includes('discord HTTP interactions ready')).length);
    expect(ready).toEqual([1, 1, 1]);
  }, 300_000);
});
