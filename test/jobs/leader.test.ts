/**
 * The leader lease against the local PostgreSQL server (a fresh database), and with it the Discord
 * gateway: of two replicas only one IDENTIFYs; killing its PostgreSQL session hands the gateway over,
 * and a leader whose connection stops answering steps down by itself. Every query is bounded.
 * Skipped with a notice when no server answers.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config.ts';
import { defaultCoreConfig, defaultSettings, type CoreDeps } from '../../src/core/commands/index.ts';
import { silentLogger, systemClock } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/bots/discord/index.ts';
import { createLeaderLease, type LeaderLease } from '../../src/jobs/leader.ts';
import { DEFAULT_GUILD, startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { waitFor } from '../support/wait.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createDb, PG_TIMEOUTS } from '../../src/store/postgres/db.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('leader lease'));
const suite = adminUrl ? describe : describe.skip;

/** Bounded well under the test's 20 s, so a lease that never moves fails saying what never happened. */
const until = (what: string, cond: () => boolean) => waitFor(cond, { what, timeoutMs: 15_000, intervalMs: 20 });

suite('leader lease on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  /** Ends the PostgreSQL sessions holding Paperboy leases, as if their replica died. */
  async function killHolders(): Promise<number> {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      [0x504c],
    );
    for (const r of rows) await admin.query('SELECT pg_terminate_backend($1)', [r.pid]);
    return rows.length;
  }

  /** pollMs is long for a replica playing dead: it notices the loss at once but only retries much later. */
  function lease(name: string, events: string[], tag: string, pollMs = 30, via: { url?: string; checkTimeoutMs?: number } = {}): LeaderLease {
    const l = createLeaderLease({
      databaseUrl: via.url ?? db.url, name, logger: silentLogger, pollMs, ...(via.checkTimeoutMs ? { checkTimeoutMs: via.checkTimeoutMs } : {}),
      onAcquire: async () => void events.push(`${tag} acquired`),
      onLose: async () => void events.push(`${tag} lost`),
    });
    cleanup.push(() => l.stop());
    return l;
  }

  it('only one of two replicas leads; killing its session hands the lease to the other', async () => {
    const events: string[] = [];
    const a = lease('test:one', events, 'a', 60_000);
    const b = lease('test:one', events, 'b');
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(events).toEqual(['a acquired']);

    expect(await killHolders()).toBe(1);
    await until('b leads and a does not, after a lost its session', () => b.isLeader && !a.isLeader);
    expect(events).toContain('a lost');
    expect(events).toEqual(['a acquired', 'a lost', 'b acquired']);
  });

  it('a replica back after losing its session stays a follower while the other leads', async () => {
    const events: string[] = [];
    const a = lease('test:back', events, 'a', 60_000);
    await a.start();
    await killHolders();
    await until('a notices its session was killed and steps down', () => !a.isLeader);
    const c = lease('test:back', events, 'c');
    await c.start();
    expect(c.isLeader).toBe(true);
    await a.stop();
    await a.start();
    expect(a.isLeader).toBe(false);
    expect(events).toEqual(['a acquired', 'a lost', 'c acquired']);
  });

  it('a clean stop releases the lease at once, after the leader has stepped down', async () => {
    const events: string[] = [];
    const a = lease('test:two', events, 'a');
    const b = lease('test:two', events, 'b');
    await a.start();
    await b.start();
    await a.stop();
    await until('b takes the lease a released', () => b.isLeader);
    expect(events).toEqual(['a acquired', 'a lost', 'b acquired']);
  });

  it('leases of different names do not exclude each other', async () => {
    const a = lease('test:x', [], 'a');
    const b = lease('test:y', [], 'b');
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, true]);
  });

  it('a leader whose work cannot start gives the lease back', async () => {
    let tries = 0;
    const failing = createLeaderLease({
      databaseUrl: db.url, name: 'test:fail', logger: silentLogger, pollMs: 30,
      onAcquire: async () => { tries += 1; throw new Error('gateway refused'); },
      onLose: async () => {},
    });
    cleanup.push(() => failing.stop());
    await failing.start();
    expect(failing.isLeader).toBe(false);
    const other = lease('test:fail', [], 'b');
    await other.start();
    expect(other.isLeader).toBe(true);
    expect(tries).toBe(1);
  });

  describe('a connection that stops answering (a TCP proxy on loopback, paused: the socket stays open, nothing comes back)', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      const u = new URL(db.url);
      proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    });
    afterEach(() => proxy.resume());
    afterAll(async () => { await proxy?.close(); });

    it('the leader steps down (its gateway disconnects) by itself within its check timeout, and only then does another replica lead', async () => {
      const events: string[] = [];
      const a = lease('test:stall', events, 'a', 100, { url: proxy.urlFor(db.url), checkTimeoutMs: 400 });
      const b = lease('test:stall', events, 'b', 50);
      await a.start();
      await b.start();
      expect([a.isLeader, b.isLeader]).toEqual([true, false]);
      proxy.pause();
      const pausedAt = Date.now();
      await until('a steps down on its own when its check goes unanswered', () => events.includes('a lost'));
      const steppedDownMs = Date.now() - pausedAt;
      // Dropping the stalled connection closes the session through the proxy; the lock is free then.
      await until('b takes over once a dropped its session', () => b.isLeader);
      expect(events).toEqual(['a acquired', 'a lost', 'b acquired']);
      expect(a.isLeader).toBe(false);
      console.log(`leader stall: stepped down ${steppedDownMs} ms after the connection stopped answering (check timeout 400 ms, poll 100 ms)`);
    });

    it('every query is bounded: statement_timeout on the server, query_timeout on the client', async () => {
      expect(PG_TIMEOUTS.query_timeout).toBeGreaterThan(PG_TIMEOUTS.statement_timeout);
      const store = createDb(db.url, silentLogger);
      cleanup.push(() => store.pool.end());
      expect((await store.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout).toBe('30s');
      // The same settings with a short client bound, through the proxy: a paused connection fails, it does not hang.
      const c = new pg.Client({ connectionString: proxy.urlFor(db.url), ...PG_TIMEOUTS, query_timeout: 300 });
      c.on('error', () => {});
      await c.connect();
      cleanup.push(async () => void (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy());
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      proxy.pause();
      await expect(c.query('SELECT 1')).rejects.toThrow(/timeout/i);
    });
  });

  describe('Discord gateway behind the lease', () => {
    let stand: DiscordStandIn;
    beforeAll(async () => { stand = await startDiscordStandIn(); });
    afterAll(async () => { await stand?.close(); });

    const deps: CoreDeps[] = [];
    function replica(pollMs: number): DiscordAdapter {
      const store = createMemoryStore({ clock: systemClock });
      const d: CoreDeps = { store, index: createSearchIndex([]), clock: systemClock, logger: silentLogger, config: defaultCoreConfig };
      const config: AppConfig = {
        databaseUrl: db.url, hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC', catchUpHours: 6, logLevel: 'silent',
        discord: { token: stand.token, applicationId: stand.applicationId, apiUrl: stand.apiUrl },
      };
      const adapter = createDiscordAdapter({
        config, deps: d, logger: silentLogger, registerOnStart: false,
        gatewayLease: (gw) => createLeaderLease({ databaseUrl: db.url, name: `discord-gateway:${stand.applicationId}`, logger: silentLogger, pollMs, onAcquire: gw.connect, onLose: gw.disconnect }),
      });
      deps.push(d);
      cleanup.push(async () => { await adapter.stop(); await store.close(); });
      return adapter;
    }

    it('one gateway session at a time; the standby delivers over REST and takes over when the leader dies', async () => {
      const a = replica(60_000); // plays the replica that dies: it never retries within this test
      const b = replica(30);
      await a.start();
      await b.start();
      expect(stand.gateway.identifies).toHaveLength(1);
      expect(stand.gateway.connected).toBe(1);
      expect(a.gatewayClient).toBeDefined();
      expect(b.gatewayClient).toBeUndefined();
      expect(b.health()).toEqual({ connected: true, detail: expect.stringMatching(/standby/) });

      // Digests still go out from the standby, through REST alone.
      const channel = DEFAULT_GUILD.channels[0]!.id;
      const store = deps[1]!.store;
      const dest = await store.ensureDestination({ platform: 'discord', kind: 'channel', id: channel }, defaultSettings(deps[1]!, undefined, 'channel'));
      await b.deliver(dest, { ephemeral: false, blocks: [{ type: 'text', text: 'from the standby' }] });
      const posted = await stand.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`);
      expect(JSON.stringify(posted.body)).toContain('from the standby');

      expect(await killHolders()).toBe(1);
      await until('b identifies and a drops its gateway client', () => stand.gateway.identifies.length === 2 && a.gatewayClient === undefined && b.gatewayClient !== undefined);
      await until('exactly one gateway session connected', () => stand.gateway.connected === 1);
      await until('b reports itself connected, no longer standby', () => b.health().connected && !/standby/.test(b.health().detail ?? ''));
      expect(a.health().detail).toMatch(/standby/);

      expect(stand.gateway.identifies).toHaveLength(2);
      expect(stand.gateway.connected).toBe(1);
      expect(stand.invalid).toEqual([]);
    });
  });
});
