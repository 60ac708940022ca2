/** The server drops the store's connections (restart, failover, idle kill): logged, then recovered. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger, Store } from '../../src/core/ports.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { corpusPapers, createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('postgres resilience'));
const suite = adminUrl ? describe : describe.skip;

suite('PostgreSQL store when connections die', () => {
  let db: TestDatabase;
  let store: Store;
  const errors: { obj: object | string; msg?: string }[] = [];
  let onError: (() => void) | undefined;
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error(obj, msg) {
      errors.push({ obj, msg });
      onError?.();
    },
  };

  /** Terminates every server connection of the test database, as a failover would. */
  async function killConnections(): Promise<number> {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const dbName = new URL(db.url).pathname.slice(1);
      const { rows } = await c.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      return rows[0]!.n;
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    store = await openPostgresStore(db.url, { logger });
    await store.upsertPapers(corpusPapers(50));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('logs the loss of idle connections and answers the next call on a new one', async () => {
    expect(await store.countPapers()).toBe(50);
    const logged = new Promise<void>((resolve) => (onError = resolve));
    expect(await killConnections()).toBeGreaterThan(0);
    await logged; // the idle client's error reached the pool's handler instead of crashing the process
    expect(errors[0]).toMatchObject({ msg: 'PostgreSQL idle connection error' });
    expect(await store.countPapers()).toBe(50);
    expect(await store.claimDigest('discord:channel:after-failover', '2026-06-22', '2026-06-22T09:00:00Z')).toBe(true);
  });

  it('turns a connection killed mid-statement into a store error, then carries on', async () => {
    // Another session holds the papers table, so the store's statement is still running when killed.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE papers IN ACCESS EXCLUSIVE MODE');
    const pending = store.countPapers().then(
      (n) => n,
      (e: unknown) => e,
    );
    // Watched from its own session: inside the holder's transaction pg_stat_activity would stay frozen.
    const watcher = new pg.Client({ connectionString: adminUrl });
    await watcher.connect();
    const dbName = new URL(db.url).pathname.slice(1);
    let victim: number | undefined;
    while (victim === undefined) {
      const { rows } = await watcher.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%FROM papers%'`,
        [dbName],
      );
      victim = rows[0]?.pid;
    }
    await watcher.query('SELECT pg_terminate_backend($1)', [victim]);
    await watcher.end();
    const err = await pending;
    expect(err).toMatchObject({ code: 'store', message: expect.stringMatching(/^PostgreSQL store: countPapers failed: .*terminat/i) });
    await holder.query('COMMIT');
    await holder.end();
    expect(await store.countPapers()).toBe(50);
    const d = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'me' }, {
      topics: ['agents'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
    });
    expect(d.settings.topics).toEqual(['agents']);
  });
});
