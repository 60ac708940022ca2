/**
 * The local PostgreSQL server for tests: found with a short connect, a fresh database per use,
 * dropped afterwards. Without a server the suites skip with a visible notice, except under CI.
 */
import { readFileSync } from 'node:fs';
import { CORPUS_PATH } from '../support/fixtures.ts';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import type { Paper } from '../../src/core/model/paper.ts';
import { normaliseItem } from '../../src/core/sources/index.ts';

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

/**
 * Why the suite is skipped, printed so a skipped run is never mistaken for a passing one. Under CI
 * there is no skipping: the PostgreSQL suites are part of what CI proves, so a missing server fails
 * the file (`.ci/run` starts the machine's own server before the tests).
 */
export function skipNotice(suite: string): string {
  if (process.env.CI === 'true') {
    throw new Error(`[${suite}] CI=true but no PostgreSQL server answered (tried ${CANDIDATES.length} URLs); PostgreSQL tests may not be skipped under CI.`);
  }
  const tried = CANDIDATES.map((u) => {
    const url = new URL(u);
    return `${url.username}@${url.host}`;
  });
  return `[${suite}] SKIPPED: no PostgreSQL server answered within 2 s (tried ${tried.join(', ')}); start one on 127.0.0.1:5432 or set PAPERBOY_TEST_PG_URL.`;
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

/** Papers from the real corpus (the corpus fixture), through the real Hugging Face normaliser. */
export function corpusPapers(limit = Infinity): Paper[] {
  const lines = gunzipSync(readFileSync(CORPUS_PATH)).toString('utf8').split('\n');
  const out: Paper[] = [];
  for (const line of lines) {
    if (out.length >= limit) break;
    if (!line.trim()) continue;
    const { date, item } = JSON.parse(line) as { date: string; item: unknown };
    const r = normaliseItem(item, date);
    if (r.ok) out.push(r.paper);
  }
  return out;
}
