/** A small wrapper over a pg pool: one-shot queries, transactions, and errors the app understands. */
import pg from 'pg';
import { PaperboyError, isPaperboyError } from '../../core/model/errors.ts';
import type { Logger } from '../../core/ports.ts';

export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `fn` in a transaction on one connection; rolls back when it throws. */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  pool: pg.Pool;
}

/** The URL without its password, for messages and logs. */
export { maskUrl as redactUrl } from '../../logger.ts';

export function storeError(what: string, e: unknown): PaperboyError {
  if (isPaperboyError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new PaperboyError('store', `PostgreSQL store: ${what} failed: ${msg}`, undefined, { cause: e });
}

/** Runs a port method, turning driver errors into store errors that name the method. */
export function wrap<A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw storeError(name, e);
    }
  };
}

/**
 * Bounds on every PostgreSQL query Paperboy makes (store, job locks, pg-boss, installations,
 * leader lease): the server cancels a statement after `statement_timeout`, and the client gives up
 * after `query_timeout` even when the server cannot be heard at all (a half-open socket), so no
 * caller waits forever. Spread into every pg Pool/Client configuration.
 */
export const PG_TIMEOUTS = {
  statement_timeout: 30_000,
  query_timeout: 35_000,
  connectionTimeoutMillis: 5_000,
} as const;

export function createDb(url: string, logger: Logger, opts: { max?: number; connectTimeoutMs?: number } = {}): Db {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PaperboyError('config', 'DATABASE_URL is not a valid URL.', 'Expected postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new PaperboyError('config', `DATABASE_URL must start with postgres:// (got ${parsed.protocol}//).`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    ...PG_TIMEOUTS,
    max: opts.max ?? 5,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? PG_TIMEOUTS.connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
    application_name: 'paperboy',
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, that would kill the process.
  pool.on('error', (err) => logger.error({ err: err.message }, 'PostgreSQL idle connection error'));

  return {
    pool,
    query: (sql, params) => pool.query(sql, params),
    async tx(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        // A connection that cannot even roll back is discarded rather than returned to the pool.
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      } finally {
        client.release(broken);
      }
    },
  };
}
