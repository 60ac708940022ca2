/** Several replicas (separate pools) on one database: the ledger and caps hold across them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationSettings } from '../../src/core/model/destination.ts';
import { silentLogger, type Store } from '../../src/core/ports.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { corpusPapers, createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('postgres concurrency'));
const suite = adminUrl ? describe : describe.skip;

const defaults: DestinationSettings = {
  topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
};

suite('PostgreSQL store across replicas', () => {
  let db: TestDatabase;
  let replicas: Store[];

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    // Opened together: migrations race too.
    replicas = await Promise.all([0, 1, 2, 3].map(() => openPostgresStore(db.url, { logger: silentLogger, poolSize: 3 })));
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((s) => s.close()));
    await db?.drop();
  });

  it('gives each digest claim to exactly one of many racing replicas', async () => {
    for (const day of ['2026-06-22', '2026-06-23', '2026-06-24']) {
      const attempts = replicas.flatMap((s, r) => [0, 1, 2, 3, 4].map((i) => s.claimDigest('discord:channel:race', day, `${day}T09:00:0${i}Z#${r}`)));
      const won = await Promise.all(attempts);
      expect(won.filter(Boolean)).toHaveLength(1);
    }
    const statuses = await Promise.all(replicas.map((s) => s.digestStatus('discord:channel:race', '2026-06-23')));
    expect(statuses).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
  });

  it('holds the topic cap when replicas add topics at the same moment', async () => {
    const d = await replicas[0]!.ensureDestination({ platform: 'slack', kind: 'user', id: 'U-cap' }, defaults);
    const adds = await Promise.all(
      Array.from({ length: 24 }, (_, i) => replicas[i % 4]!.addTopic(d.key, i % 2 ? `topic ${i}` : `TOPIC ${i - 1}`, 5)),
    );
    const topics = (await replicas[3]!.getDestination(d.key))!.settings.topics;
    expect(topics).toHaveLength(5);
    expect(adds.filter((a) => a.added)).toHaveLength(5);
    expect(new Set(topics.map((t) => t.toLowerCase())).size).toBe(5);
  });

  it('creates a destination once when replicas ensure it together', async () => {
    const ref = { platform: 'discord', kind: 'channel', id: 'C-ensure', workspace: 'G1' } as const;
    const got = await Promise.all(replicas.map((s) => s.ensureDestination(ref, { ...defaults, topics: ['agents'] })));
    expect(new Set(got.map((d) => d.createdAt)).size).toBe(1);
    expect(got.every((d) => d.settings.topics.length === 1)).toBe(true);
    expect((await replicas[1]!.listDestinations({ platform: 'discord', kind: 'channel' })).filter((d) => d.id === 'C-ensure')).toHaveLength(1);
  });

  it('upserts overlapping batches from several replicas without conflicts or lost papers', async () => {
    const papers = corpusPapers(1200);
    const results = await Promise.all(replicas.map((s, i) => s.upsertPapers(papers.slice(i * 200, i * 200 + 600))));
    const added = results.reduce((n, r) => n + r.added, 0);
    expect(added).toBe(Math.min(1200, 3 * 200 + 600));
    expect(await replicas[2]!.countPapers()).toBe(added);
  });
});
