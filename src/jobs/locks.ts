/**
 * Session advisory locks: one replica works a destination at a time. A lock dies with its
 * connection, so the jobs of a replica that is killed become free at once for the others.
 */
import type pg from 'pg';

/** Any constant; it separates Paperboy's locks from other users of the same database. */
const LOCK_SPACE = 0x5042; // "PB"

export interface HeldLock {
  release(): Promise<void>;
}

/** Takes the lock named `name` on its own connection, or returns undefined when another holds it. */
/**
 * A session that dies while its lock is held (server restart, terminated backend) emits 'error' on
 * the checked-out client, which the pool no longer listens to: unheard, it would crash the process.
 * The lock is gone with the session; the client is then dropped instead of returned.
 */
function watch(client: pg.PoolClient): { lost: () => boolean; stop: () => void } {
  let lost = false;
  const onError = (): void => void (lost = true);
  client.on('error', onError);
  return { lost: () => lost, stop: () => client.off('error', onError) };
}

export async function tryLock(pool: pg.Pool, name: string): Promise<HeldLock | undefined> {
  const client = await pool.connect();
  const session = watch(client);
  let ok = false;
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_SPACE, name]);
    ok = rows[0]?.ok === true;
  } catch (e) {
    session.stop();
    client.release(true);
    throw e;
  }
  if (!ok) {
    session.stop();
    client.release();
    return undefined;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        if (session.lost()) throw new Error('session lost');
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]);
        session.stop();
        client.release();
      } catch {
        // A connection that cannot unlock is dropped; closing it frees the lock too.
        session.stop();
        client.release(true);
      }
    },
  };
}

/** Runs `fn` holding the lock `name`, waiting for it; serialises one-time setup across replicas. */
export async function withLock<T>(pool: pg.Pool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const session = watch(client);
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_SPACE, name]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]).catch(() => (broken = true));
    }
  } finally {
    session.stop();
    client.release(broken || session.lost());
  }
}
