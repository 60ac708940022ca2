/**
 * A leader lease: a session-level advisory lock held on a dedicated PostgreSQL connection.
 * Only the holder runs `onAcquire`'s work (the Discord gateway); the others poll and take over
 * once the holder's connection closes, since PostgreSQL frees a session lock with its session.
 */
import pg from 'pg';
import type { Logger } from '../core/index.ts';
import { PG_TIMEOUTS } from '../store/postgres/db.ts';

/** Separates Paperboy's leases from other advisory locks in the same database ("PL"). */
const LEASE_SPACE = 0x504c;
const TRY = 'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok';
const UNLOCK = 'SELECT pg_advisory_unlock($1, hashtext($2))';

export interface LeaderLeaseOptions {
  databaseUrl: string;
  /** What is led, e.g. `discord-gateway:<application id>`; replicas with the same name compete. */
  name: string;
  logger: Logger;
  /** How often a follower tries to take over, and a leader checks its connection (default 5 s). */
  pollMs?: number;
  /**
   * How long one check may take (default 5 s): a leader whose check does not answer in time (a
   * half-open socket, a stalled server) steps down at once, before another replica could take over.
   */
  checkTimeoutMs?: number;
  onAcquire(): Promise<void>;
  onLose(): Promise<void>;
}

export interface LeaderLease {
  /** Makes the first attempt before resolving, so a lone replica leads as soon as it has started. */
  start(): Promise<void>;
  /** Gives up leadership (onLose first, then the lock) and closes the connection. */
  stop(): Promise<void>;
  readonly isLeader: boolean;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createLeaderLease(opts: LeaderLeaseOptions): LeaderLease {
  const { logger, name } = opts;
  const pollMs = opts.pollMs ?? 5000;
  const checkTimeoutMs = opts.checkTimeoutMs ?? 5000;
  let client: pg.Client | undefined;
  let broken = false;
  let leader = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  /** After stepping down, no new attempt before this time (ms), whatever kicks the loop meanwhile. */
  let holdOffUntil = 0;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: opts.databaseUrl, ...PG_TIMEOUTS, query_timeout: checkTimeoutMs, statement_timeout: checkTimeoutMs, connectionTimeoutMillis: checkTimeoutMs, keepAlive: true });
    // Events of an old connection we already dropped must not touch the current one.
    const lost = () => {
      if (client !== c) return;
      broken = true;
      kick();
    };
    c.on('error', (e) => {
      logger.warn({ lease: name, err: e.message }, 'leader lease connection error');
      lost();
    });
    c.on('end', lost);
    await c.connect();
    return c;
  }

  async function drop(): Promise<void> {
    const c = client;
    client = undefined;
    broken = false;
    if (!c) return;
    // end() waits for the server's goodbye, which a dead socket never sends: bounded, then the socket goes.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([c.end().catch(() => {}), new Promise((r) => (timer = setTimeout(r, 1_000)))]);
    clearTimeout(timer);
    (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }

  async function lose(reason: string): Promise<void> {
    if (!leader) return;
    leader = false;
    logger.warn({ lease: name, reason }, 'leadership lost');
    await opts.onLose().catch((e: unknown) => logger.error({ lease: name, err: why(e) }, 'leader hand-over failed'));
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    if (client && broken) {
      // Step down at once; try again only at the next poll, so a healthy replica gets its turn.
      // A dead session emits both 'error' and 'end': the second kick must not retake the lock at once.
      await lose('connection to PostgreSQL closed');
      await drop();
      holdOffUntil = Date.now() + pollMs;
      return;
    }
    if (!client && Date.now() < holdOffUntil) return;
    try {
      if (!client) {
        const c = await connect();
        if (stopped) return void (await c.end().catch(() => {}));
        client = c;
      }
      if (leader) {
        // A leader whose session died silently must find out and step down.
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>(TRY, [LEASE_SPACE, name]);
      if (rows[0]?.ok !== true) return;
      leader = true;
      logger.info({ lease: name }, 'leadership acquired');
      try {
        await opts.onAcquire();
      } catch (e) {
        // Could not do the leader's work: let another replica try.
        logger.error({ lease: name, err: why(e) }, 'leader could not start; releasing the lease');
        await lose('start failed');
        await client?.query(UNLOCK, [LEASE_SPACE, name]).catch(() => (broken = true));
      }
    } catch (e) {
      logger.warn({ lease: name, err: why(e) }, 'leader lease check failed');
      await lose(`PostgreSQL: ${why(e)}`);
      await drop();
      holdOffUntil = Date.now() + pollMs;
    }
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, ms);
    timer.unref();
  }

  function run(): Promise<void> {
    chain = chain.then(tick).then(() => {
      if (!stopped && !timer) schedule(pollMs);
    });
    return chain;
  }

  function kick(): void {
    if (!stopped) schedule(0);
  }

  return {
    get isLeader() {
      return leader;
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      await run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await chain;
      const wasLeader = leader;
      await lose('stopping');
      if (wasLeader && client && !broken) await client.query(UNLOCK, [LEASE_SPACE, name]).catch(() => {});
      await drop();
    },
  };
}
