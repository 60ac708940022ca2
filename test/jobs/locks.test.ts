/**
 * The advisory locks on the local PostgreSQL server (a fresh database): one holder per name across
 * connections and pools, free again on release, on a thrown error and when the holder's session dies.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryLock, withLock } from '../../src/jobs/locks.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('advisory locks'));

describe.skipIf(!adminUrl)('advisory locks on PostgreSQL', () => {
  let db: TestDatabase;
  /** Two pools: two replicas. */
  let a: pg.Pool;
  let b: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    a = new pg.Pool({ connectionString: db.url, max: 4, application_name: 'locks-test-a' });
    b = new pg.Pool({ connectionString: db.url, max: 4, application_name: 'locks-test-b' });
    // A terminated session surfaces on the idle client; the pool replaces it.
    a.on('error', () => {});
    b.on('error', () => {});
  });
  afterAll(async () => {
    await a?.end();
    await b?.end();
    await db?.drop();
  });

  it('one holder per name, across pools and within one; free again after release; release twice is harmless', async () => {
    const held = await tryLock(a, 'destination:slack:channel:C1');
    expect(held).toBeDefined();
    expect(await tryLock(b, 'destination:slack:channel:C1')).toBeUndefined();
    // Same pool, another connection: still excluded (the holder keeps its own connection).
    expect(await tryLock(a, 'destination:slack:channel:C1')).toBeUndefined();
    // Another name is free.
    const other = await tryLock(b, 'destination:slack:channel:C2');
    expect(other).toBeDefined();
    await held!.release();
    await held!.release();
    const again = await tryLock(b, 'destination:slack:channel:C1');
    expect(again).toBeDefined();
    await again!.release();
    await other!.release();
    // Every connection went back to its pool, none leaked.
    expect(a.totalCount - a.idleCount).toBe(0);
    expect(b.totalCount - b.idleCount).toBe(0);
  });

  it('names of any text: long, Unicode, SQL-like; each its own lock', async () => {
    const names = ['x'.repeat(5000), 'destination:discord:channel:😀', "'; DROP TABLE x; --", ''];
    const locks = await Promise.all(names.map((n) => tryLock(a, n)));
    expect(locks.every(Boolean)).toBe(true);
    for (const n of names) expect(await tryLock(b, n)).toBeUndefined();
    for (const l of locks) await l!.release();
    for (const n of names) {
      const l = await tryLock(b, n);
      expect(l).toBeDefined();
      await l!.release();
    }
  });

  /** Ends the sessions of pool a holding advisory locks, as a server restart would; returns how many. */
  async function killHoldersOfA(): Promise<number> {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity s USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = 'locks-test-a'",
      );
      for (const r of rows) await admin.query('SELECT pg_terminate_backend($1)', [r.pid]);
      return rows.length;
    } finally {
      await admin.end();
    }
  }

  /** Counts uncaught errors meanwhile: a dead session of a held lock must not crash the process. */
  async function noCrash(fn: () => Promise<void>): Promise<void> {
    const crashes: unknown[] = [];
    const on = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', on);
    try {
      await fn();
      await new Promise((r) => setTimeout(r, 50)); // let the terminated socket's events arrive
    } finally {
      process.off('uncaughtException', on);
    }
    expect(crashes).toEqual([]);
  }

  it('a lock dies with its session: when the holder is killed, another takes it at once, and nothing crashes', async () => noCrash(async () => {
    const held = await tryLock(a, 'cycle');
    expect(held).toBeDefined();
    expect(await killHoldersOfA()).toBe(1);
    const taken = await tryLock(b, 'cycle');
    expect(taken).toBeDefined();
    // The dead holder's release does not throw and does not free the new holder's lock.
    await held!.release();
    expect(await tryLock(a, 'cycle')).toBeUndefined();
    await taken!.release();
  }));

  it('withLock whose session dies during the work finishes the work, frees the name and does not crash', async () => noCrash(async () => {
    const result = await withLock(a, 'setup:dies', async () => {
      expect(await killHoldersOfA()).toBe(1);
      return 'done';
    });
    expect(result).toBe('done');
    const free = await tryLock(b, 'setup:dies');
    expect(free).toBeDefined();
    await free!.release();
  }));

  it('withLock runs one at a time per name, in turn, and frees the lock when the work throws', async () => {
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const work = (tag: string) => async () => {
      inside++;
      most = Math.max(most, inside);
      order.push(`${tag} in`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${tag} out`);
      inside--;
      return tag;
    };
    const results = await Promise.all([withLock(a, 'setup', work('1')), withLock(b, 'setup', work('2')), withLock(a, 'setup', work('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(most).toBe(1);
    // Each "in" is followed by its own "out": no interleaving.
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace(' in', ' out'));

    await expect(withLock(a, 'setup', async () => { throw new Error('migration failed'); })).rejects.toThrow('migration failed');
    const free = await tryLock(b, 'setup');
    expect(free).toBeDefined();
    await free!.release();
    expect(a.totalCount - a.idleCount).toBe(0);
  });

  it('an unreachable server is an error, not a lock and not a silent "held elsewhere"', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 2000 });
    dead.on('error', () => {});
    try {
      await expect(tryLock(dead, 'cycle')).rejects.toThrow();
      await expect(withLock(dead, 'setup', async () => 1)).rejects.toThrow();
    } finally {
      await dead.end();
    }
  });
});
