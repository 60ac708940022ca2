/**
 * The shared Store contract against the local PostgreSQL server: one fresh database for this run,
 * emptied before every test, dropped at the end. Skipped with a notice when no server answers.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { silentLogger, type Store } from '../../src/core/ports.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { describeStoreContract } from './contract.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from './postgres-support.ts';

const adminUrl = await findPostgres();
if (!adminUrl) {
  console.warn(skipNotice('postgres store contract'));
  // Registered but skipped, so the report counts every contract test this machine did not run.
  describe.skip('no PostgreSQL server reachable', () => {
    describeStoreContract('postgres', async () => {
      throw new Error('unreachable: skipped');
    });
  });
} else {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(adminUrl);
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function emptyAll(url: string): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('TRUNCATE papers, fetched_days, destinations, destination_topics, digest_ledger, delivered_papers, saved_papers');
    } finally {
      await c.end();
    }
  }

  describeStoreContract('postgres', async () => {
    const open = () => openPostgresStore(db.url, { logger: silentLogger, poolSize: 3 });
    let store: Store = await open();
    await emptyAll(db.url);
    return {
      store,
      async reopen() {
        await store.close();
        store = await open();
        return store;
      },
      cleanup: () => store.close(),
    };
  });
}
