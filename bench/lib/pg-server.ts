/** The local PostgreSQL server benchmarks create their databases on (PAPERBOY_BENCH_PG_URL to pick another). */
import pg from 'pg';

export async function adminUrl(): Promise<string> {
  const candidates = process.env.PAPERBOY_BENCH_PG_URL
    ? [process.env.PAPERBOY_BENCH_PG_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
  for (const url of candidates) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    c.on('error', () => {});
    try {
      await c.connect();
      return url;
    } catch {
      // try the next one
    } finally {
      await c.end().catch(() => {});
    }
  }
  throw new Error('No PostgreSQL server reachable at 127.0.0.1:5432; set PAPERBOY_BENCH_PG_URL.');
}
