/**
 * The local PostgreSQL server for tests: found with a short connect, a fresh database per use,
 * dropped afterwards. Without a server the suites skip with a visible notice.
 */
import pg from 'pg';

const CANDIDATES = process.env.PAPERBOY_TEST_PG_URL
  ? [process.env.PAPERBOY_TEST_PG_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

let admin: Promise<string | undefined> | undefined;

async function tryConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** The admin URL of a reachable local server, or undefined. */
export function findPostgres(): Promise<string | undefined> {
  admin ??= (async () => {
    for (const url of CANDIDATES) if (await tryConnect(url)) return url;
    return undefined;
  })();
  return admin;
}

/** Why the suite is skipped, printed so a skipped run is never mistaken for a passing one. */
export function skipNotice(suite: string): string {
  return `[${suite}] SKIPPED: no PostgreSQL reachable at 127.0.0.1:5432 within 2 s (tried ${CANDIDATES.map(
    (u) => new URL(u).username,
  ).join(', ')}); set PAPERBOY_TEST_PG_URL to run it.`;
}

let seq = 0;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database named after this process and time. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `paperboy_test_${process.pid}_${Date.now()}_${seq++}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}
