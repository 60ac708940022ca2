/** migrateStore: a memory store full of real papers and ledger history copied to PostgreSQL and back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Destination, DestinationSettings, Paper } from '../../src/core/model/index.ts';
import { silentLogger, type LedgerEntry, type SavedEntry, type Store } from '../../src/core/ports.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, openStore } from '../../src/store/index.ts';
import { migrateStore, type MigrateProgress } from '../../src/store/migrate.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { corpusPapers, createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const defaults: DestinationSettings = {
  topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
};
const papers = corpusPapers(3000);
const byKey = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => a.key.localeCompare(b.key));
const byId = (xs: Paper[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
const ledgerOrder = (xs: LedgerEntry[]) => [...xs].sort((a, b) => `${a.key} ${a.day}`.localeCompare(`${b.key} ${b.day}`));

/** A store with everything a year of use leaves behind, at small scale. */
async function seeded(): Promise<Store> {
  const s = createMemoryStore({ clock: { now: () => new Date('2026-01-02T03:04:05Z') } });
  await s.upsertPapers(papers);
  for (const day of ['2026-06-22', '2026-06-23', '2026-06-24']) await s.markDayFetched(day, `${day}T10:00:00.000Z`, 9);
  for (let i = 0; i < 60; i++) {
    const d = await s.ensureDestination(
      { platform: (['discord', 'slack', 'shell'] as const)[i % 3]!, kind: i % 2 ? 'user' : 'channel', id: `id-${i}`, ...(i % 3 < 2 ? { workspace: `w${i % 4}` } : {}) },
      { ...defaults, topics: [`diffusion ${i}`, 'author:"Ling Yang"'], time: `0${i % 10}:30` },
    );
    if (i % 5 === 0) await s.updateState(d.key, { lastFailure: { at: '2026-06-20T09:00:00Z', code: 'missing_permission', message: 'no access', permanent: i % 10 === 0 }, failures: 2 });
    const sent = papers.slice(i * 5, i * 5 + 5).map((p) => p.id);
    await s.claimDigest(d.key, '2026-06-22', '2026-06-22T09:00:00Z');
    await s.finishDigest(d.key, '2026-06-22', i % 7 === 0 ? 'failed' : 'sent', sent, '2026-06-22T09:00:03Z');
    if (i % 4 === 0) await s.claimDigest(d.key, '2026-06-23', '2026-06-23T09:00:00Z');
    if (d.kind === 'user') for (const p of papers.slice(i, i + 3)) await s.savePaper(d.key, p.id, `2026-06-2${i % 3}T08:00:0${i % 9}Z`, 500);
  }
  return s;
}

async function expectSameContent(a: Store, b: Store): Promise<void> {
  expect(byId(await b.allPapers())).toEqual(byId(await a.allPapers()));
  expect(await b.fetchedDays()).toEqual(await a.fetchedDays());
  expect(byKey(await b.listDestinations())).toEqual(byKey(await a.listDestinations()));
  expect(ledgerOrder(await b.exportLedger!())).toEqual(ledgerOrder(await a.exportLedger!()));
  const savedOrder = (xs: SavedEntry[]) => xs.map((e) => `${e.userKey} ${e.paperId} ${e.savedAt}`).sort();
  expect(savedOrder(await b.exportSaved!())).toEqual(savedOrder(await a.exportSaved!()));
  const sample = papers.slice(0, 400).map((p) => p.id);
  for (const d of await a.listDestinations()) expect(await b.deliveredPapers(d.key, sample)).toEqual(await a.deliveredPapers(d.key, sample));
}

describe('migrateStore between memory stores', () => {
  it('copies everything, verifies it, and reports progress', async () => {
    const from = await seeded();
    const to = createMemoryStore();
    const seen: MigrateProgress[] = [];
    const res = await migrateStore(from, to, { onProgress: (p) => seen.push(p) });
    expect(res).toEqual({ papers: papers.length, destinations: 60, ledger: 75, days: 3, saved: 90 });
    await expectSameContent(from, to);
    expect(seen.filter((p) => p.phase === 'papers').at(-1)).toEqual({ phase: 'papers', done: papers.length, total: papers.length });
    expect(seen.at(-1)).toEqual({ phase: 'verify', done: 6, total: 6 });
  });

  it('refuses a source that cannot export its ledger before copying anything', async () => {
    const full = await seeded();
    const from: Store = { ...bind(full), exportLedger: undefined };
    const to = createMemoryStore();
    await expect(migrateStore(from, to)).rejects.toMatchObject({ code: 'store', message: expect.stringMatching(/cannot export its delivery ledger/) });
    expect(await to.countPapers()).toBe(0);
  });

  it('notices a target that silently lost a paper', async () => {
    const from = await seeded();
    const real = createMemoryStore();
    const lossy: Store = { ...bind(real), upsertPapers: (ps) => real.upsertPapers(ps.filter((p) => p.id !== papers[1234]!.id)) };
    await expect(migrateStore(from, lossy)).rejects.toMatchObject({
      code: 'store',
      message: `Migration failed: 1 of ${papers.length} papers are missing in the target (first: ${papers[1234]!.id}).`,
    });
  });
});

/** The store's methods as plain functions, so one can be replaced in a test. */
function bind(s: Store): Store {
  const out: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(Object.getPrototypeOf(s))) {
    const v = (s as unknown as Record<string, unknown>)[k];
    if (k !== 'constructor' && typeof v === 'function') out[k] = v.bind(s);
  }
  return out as unknown as Store;
}

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('migrate to postgres'));

(adminUrl ? describe : describe.skip)('migrateStore into PostgreSQL', () => {
  let db: TestDatabase;
  let pgStore: Store;
  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    pgStore = await openPostgresStore(db.url, { logger: silentLogger });
  });
  afterAll(async () => {
    await pgStore?.close();
    await db?.drop();
  });

  it('copies a memory store to PostgreSQL without loss, and a second run changes nothing', async () => {
    const from = await seeded();
    const first = await migrateStore(from, pgStore);
    expect(first).toEqual({ papers: papers.length, destinations: 60, ledger: 75, days: 3, saved: 90 });
    expect(await pgStore.countPapers()).toBe(papers.length);
    await expectSameContent(from, pgStore);
    // createdAt, topics order and the permanent failure arrive as they were, not re-created.
    const d0 = (await pgStore.getDestination('discord:channel:id-0')) as Destination;
    expect(d0).toMatchObject({ createdAt: '2026-01-02T03:04:05.000Z', state: { lastFailure: { permanent: true }, failures: 2 } });
    expect(await migrateStore(from, pgStore)).toEqual(first);
    expect(await pgStore.countPapers()).toBe(papers.length);
    expect((await pgStore.exportLedger!()).length).toBe(75);
  });

  it('moves a JSON file store into a second PostgreSQL database, both opened from DATABASE_URLs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-migrate-'));
    const target = await createTestDatabase(adminUrl!);
    try {
      const file = `file:${join(dir, 'paperboy.json')}`;
      const json = await openStore(file, { logger: silentLogger });
      await migrateStore(await seeded(), json);
      await json.close();
      const from = await openStore(file, { logger: silentLogger }); // read back from disk
      const to = await openStore(target.url, { logger: silentLogger });
      try {
        expect(await migrateStore(from, to)).toEqual({ papers: papers.length, destinations: 60, ledger: 75, days: 3, saved: 90 });
        await expectSameContent(from, to);
      } finally {
        await from.close();
        await to.close();
      }
    } finally {
      await target.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('copies PostgreSQL back into a memory store (the way out is as safe as the way in)', async () => {
    const back = createMemoryStore();
    await migrateStore(pgStore, back);
    await expectSameContent(pgStore, back);
  });
});
