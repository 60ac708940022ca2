import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { MIGRATIONS, openPostgresStore, runMigrations } from '../../src/store/postgres/index.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('postgres migrations'));
const suite = adminUrl ? describe : describe.skip;

suite('PostgreSQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every migration exactly once when three connections race on a fresh database', async () => {
    const clients = [0, 1, 2].map(() => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const results = await Promise.all(clients.map((c) => runMigrations(c)));
      const all = MIGRATIONS.map((m) => m.version);
      // One connection did the work, the others waited on the lock and found nothing left.
      expect(results.flat().sort()).toEqual(all);
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      const { rows } = await clients[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(all);
      const tables = await clients[0]!.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['papers', 'destinations', 'destination_topics', 'digest_ledger', 'delivered_papers', 'fetched_days']),
      );
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('gives rows stored before revisions revs in listing order, an epoch, and keeps a rev on an update that changes nothing', async () => {
    const old = await createTestDatabase(adminUrl!);
    const c = new pg.Client({ connectionString: old.url });
    await c.connect();
    try {
      await runMigrations(c, MIGRATIONS.filter((m) => m.version < 6));
      const rows = [['b', '2026-06-23'], ['a', '2026-06-23'], ['c', '2026-06-22']];
      for (const [id, day] of rows) {
        await c.query('INSERT INTO papers (id, listed_on, data) VALUES ($1, $2, $3)', [id, day, { id, listedOn: day }]);
      }
      await runMigrations(c);
      const revs = await c.query<{ id: string; rev: string }>('SELECT id, rev::text FROM papers ORDER BY rev');
      expect(revs.rows).toEqual([{ id: 'c', rev: '1' }, { id: 'a', rev: '2' }, { id: 'b', rev: '3' }]);
      const store = await openPostgresStore(old.url, { logger: silentLogger });
      try {
        const r = await store.paperRevision();
        expect(r).toMatchObject({ rev: 3, count: 3 });
        await c.query('UPDATE papers SET upvotes = upvotes WHERE id = $1', ['a']);
        expect(await store.paperRevision()).toEqual(r);
        await c.query('UPDATE papers SET upvotes = 4 WHERE id = $1', ['a']);
        expect((await store.papersChangedSince(3)).papers.map((p) => p.id)).toEqual(['a']);
      } finally {
        await store.close();
      }
      // The epoch is this database's: another database has another.
      const mine = await c.query<{ epoch: string }>('SELECT epoch::text FROM store_meta');
      expect(mine.rows).toHaveLength(1);
      const other = await openPostgresStore(db.url, { logger: silentLogger });
      expect((await other.paperRevision()).epoch).not.toContain(mine.rows[0]!.epoch);
      await other.close();
    } finally {
      await c.end();
      await old.drop();
    }
  });

  it('opens three stores at once on one database, and again later, without errors', async () => {
    const stores = await Promise.all([0, 1, 2].map(() => openPostgresStore(db.url, { logger: silentLogger })));
    expect(await Promise.all(stores.map((s) => s.countPapers()))).toEqual([0, 0, 0]);
    await Promise.all(stores.map((s) => s.close()));
    const again = await openPostgresStore(db.url, { logger: silentLogger });
    await again.close();
    await again.close(); // closing twice is harmless
  });

  it('rolls back a failing migration completely and names the problem', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const bad = [...MIGRATIONS, { version: 900, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT nonsense FROM nowhere' }];
      await expect(runMigrations(c, bad)).rejects.toThrow(/nowhere/);
      const left = await c.query(`SELECT to_regclass('half_done') AS t, (SELECT count(*)::int FROM schema_migrations WHERE version = 900) AS n`);
      expect(left.rows[0]).toEqual({ t: null, n: 0 });
    } finally {
      await c.end();
    }
  });

  it('refuses a database migrated by a newer Paperboy, with a clear message', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
      await expect(openPostgresStore(db.url, { logger: silentLogger })).rejects.toMatchObject({
        code: 'store',
        message: expect.stringMatching(/version 999, newer than this Paperboy knows/),
      });
      await c.query('DELETE FROM schema_migrations WHERE version = 999');
    } finally {
      await c.end();
    }
  });
});

describe('PostgreSQL store: unreachable or malformed URLs', () => {
  it('rejects a non-postgres URL with a config error', async () => {
    await expect(openPostgresStore('mysql://localhost/x', { logger: silentLogger })).rejects.toMatchObject({ code: 'config' });
    await expect(openPostgresStore('not a url', { logger: silentLogger })).rejects.toMatchObject({ code: 'config' });
  });

  it('reports a server that is not there as a store error without leaking the password', async () => {
    // Port 1 on loopback: nothing listens there, the connect fails at once.
    const err = await openPostgresStore('postgres://u:s3cret@127.0.0.1:1/x', { logger: silentLogger, connectTimeoutMs: 2000 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'store' });
    expect(err.message).toMatch(/Cannot open the PostgreSQL store at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/);
    expect(err.message).not.toContain('s3cret');
  });
});
