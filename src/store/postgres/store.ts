/** Opens the PostgreSQL store: connect, migrate under an advisory lock, assemble the ports. */
import { PaperboyError } from '../../core/model/errors.ts';
import { type Clock, type Logger, type Store, systemClock } from '../../core/ports.ts';
import { createDb, redactUrl } from './db.ts';
import { destinationStore } from './destinations.ts';
import { ledgerStore } from './ledger.ts';
import { runMigrations } from './migrations.ts';
import { paperStore } from './papers.ts';
import { savedStore } from './saved.ts';

export interface PostgresStoreOptions {
  logger: Logger;
  /** Stamps `createdAt` of new destinations. */
  clock?: Clock;
  /** Pool size; a few connections serve a replica well. */
  poolSize?: number;
  connectTimeoutMs?: number;
}

export async function openPostgresStore(url: string, opts: PostgresStoreOptions): Promise<Store> {
  const { logger } = opts;
  const db = createDb(url, logger, { max: opts.poolSize ?? 5, connectTimeoutMs: opts.connectTimeoutMs ?? 5000 });
  try {
    const client = await db.pool.connect();
    try {
      const applied = await runMigrations(client);
      if (applied.length > 0) logger.info({ applied }, 'PostgreSQL schema migrated');
    } finally {
      client.release();
    }
  } catch (e) {
    await db.pool.end().catch(() => {});
    if (e instanceof PaperboyError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new PaperboyError('store', `Cannot open the PostgreSQL store at ${redactUrl(url)}: ${msg}`, 'Check DATABASE_URL and that the server is running.', {
      cause: e,
    });
  }

  let closed: Promise<void> | undefined;
  const ports: Omit<Store, 'close'> = {
    ...paperStore(db),
    ...destinationStore(db, opts.clock ?? systemClock),
    ...ledgerStore(db),
    ...savedStore(db),
  };
  // After close every method says so plainly instead of surfacing pg's pool error.
  const guarded = Object.fromEntries(
    Object.entries(ports).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        if (closed) return Promise.reject(new PaperboyError('store', 'The store is closed.'));
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as Omit<Store, 'close'>;
  return {
    ...guarded,
    close() {
      closed ??= db.pool.end();
      return closed;
    },
  };
}
