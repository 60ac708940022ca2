/** DestinationStore over PostgreSQL: settings and state as JSONB, topics as ordered rows. */
import type pg from 'pg';
import type { Destination, DestinationRef, DestinationSettings, DestinationState } from '../../core/model/destination.ts';
import { destinationKey } from '../../core/model/destination.ts';
import { PaperboyError } from '../../core/model/errors.ts';
import type { DestinationStore } from '../../core/ports.ts';
import { storeError, type Db } from './db.ts';

interface Row {
  key: string;
  platform: Destination['platform'];
  kind: Destination['kind'];
  id: string;
  workspace: string | null;
  settings: Omit<DestinationSettings, 'topics'>;
  state: DestinationState;
  created_at: string;
  topics: string[];
}

const SELECT = `
  SELECT d.key, d.platform, d.kind, d.id, d.workspace, d.settings, d.state, d.created_at,
         COALESCE((SELECT array_agg(t.topic ORDER BY t.seq) FROM destination_topics t
                   WHERE t.destination_key = d.key), '{}') AS topics
  FROM destinations d`;

/** Topics compare case-insensitively; whitespace is already normalised by the caller. */
export function topicKey(topic: string): string {
  return topic.normalize('NFC').toLowerCase();
}

function toDestination(r: Row): Destination {
  const d: Destination = {
    key: r.key,
    platform: r.platform,
    kind: r.kind,
    id: r.id,
    settings: { ...r.settings, topics: r.topics },
    state: r.state,
    createdAt: r.created_at,
  };
  if (r.workspace !== null) d.workspace = r.workspace;
  return d;
}

function notFound(key: string): PaperboyError {
  return new PaperboyError('not_found', `No destination ${key}.`);
}

async function load(q: Pick<Db, 'query'>, key: string, lock = false): Promise<Destination | undefined> {
  // Lock in its own statement: a SELECT ... FOR UPDATE that waited re-reads the locked row but not
  // its subqueries, so the topics would come from before the other writer committed.
  if (lock) {
    const locked = await q.query('SELECT 1 FROM destinations WHERE key = $1 FOR UPDATE', [key]);
    if (locked.rowCount === 0) return undefined;
  }
  const { rows } = await q.query<Row>(`${SELECT} WHERE d.key = $1`, [key]);
  return rows[0] ? toDestination(rows[0]) : undefined;
}

async function topicsOf(c: pg.ClientBase, key: string): Promise<string[]> {
  const { rows } = await c.query<{ topic: string }>('SELECT topic FROM destination_topics WHERE destination_key = $1 ORDER BY seq', [key]);
  return rows.map((r) => r.topic);
}

/** JSON-merge semantics: a key patched to `undefined` is removed, as in the JSON store. */
function merge<T extends object>(base: T, patch: Partial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

async function insertTopics(c: pg.ClientBase, key: string, topics: string[]): Promise<void> {
  for (const t of topics) {
    await c.query(
      'INSERT INTO destination_topics (destination_key, topic_key, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [key, topicKey(t), t],
    );
  }
}

export function destinationStore(db: Db): DestinationStore & {
  importDestination(d: Destination): Promise<void>;
} {
  const wrap = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw storeError(name, e);
      }
    };

  return {
    getDestination: wrap('getDestination', (key: string) => load(db, key)),

    ensureDestination: wrap('ensureDestination', async (ref: DestinationRef, defaults: DestinationSettings) => {
      const key = destinationKey(ref);
      const existing = await load(db, key);
      if (existing) return existing;
      return db.tx(async (c) => {
        const { topics, ...settings } = defaults;
        const ins = await c.query(
          `INSERT INTO destinations (key, platform, kind, id, workspace, settings, state, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, '{}'::jsonb, $7) ON CONFLICT (key) DO NOTHING`,
          [key, ref.platform, ref.kind, ref.id, ref.workspace ?? null, JSON.stringify(settings), new Date().toISOString()],
        );
        // Another replica may have created it between our read and insert: theirs stands.
        if (ins.rowCount === 1) await insertTopics(c, key, topics);
        const d = await load(c, key);
        if (!d) throw notFound(key);
        return d;
      });
    }),

    addTopic: wrap('addTopic', (key: string, topic: string, max: number) =>
      db.tx(async (c) => {
        // The row lock makes check-then-insert safe against a concurrent add from another replica.
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const topics = d.settings.topics;
        const k = topicKey(topic);
        if (topics.some((t) => topicKey(t) === k) || topics.length >= max) return { added: false, topics };
        await insertTopics(c, key, [topic]);
        return { added: true, topics: [...topics, topic] };
      }),
    ),

    removeTopic: wrap('removeTopic', (key: string, topic: string) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const res = await c.query('DELETE FROM destination_topics WHERE destination_key = $1 AND topic_key = $2', [key, topicKey(topic)]);
        return { removed: (res.rowCount ?? 0) > 0, topics: await topicsOf(c, key) };
      }),
    ),

    clearTopics: wrap('clearTopics', async (key: string) => {
      const res = await db.query('DELETE FROM destination_topics WHERE destination_key = $1', [key]);
      return res.rowCount ?? 0;
    }),

    updateSettings: wrap('updateSettings', (key: string, patch: Partial<Omit<DestinationSettings, 'topics'>>) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const { topics, ...rest } = d.settings;
        const { topics: _ignored, ...clean } = patch as Partial<DestinationSettings>;
        const settings = merge(rest, clean);
        let state = d.state;
        // Changed settings (a new channel permission, DMs reopened) deserve a new attempt.
        if (state.lastFailure?.permanent) state = merge(state, { lastFailure: undefined, failures: 0 });
        await c.query('UPDATE destinations SET settings = $2, state = $3 WHERE key = $1', [key, JSON.stringify(settings), JSON.stringify(state)]);
        return { ...d, settings: { ...settings, topics }, state };
      }),
    ),

    updateState: wrap('updateState', (key: string, patch: Partial<DestinationState>) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const state = merge(d.state, patch);
        await c.query('UPDATE destinations SET state = $2 WHERE key = $1', [key, JSON.stringify(state)]);
        return { ...d, state };
      }),
    ),

    listDestinations: wrap('listDestinations', async (filter?: { platform?: string; kind?: string }) => {
      const { rows } = await db.query<Row>(
        `${SELECT} WHERE ($1::text IS NULL OR d.platform = $1) AND ($2::text IS NULL OR d.kind = $2) ORDER BY d.seq`,
        [filter?.platform ?? null, filter?.kind ?? null],
      );
      return rows.map(toDestination);
    }),

    /** Migration: writes a destination exactly as given (createdAt, state, topics), replacing any. */
    importDestination: wrap('importDestination', (d: Destination) =>
      db.tx(async (c) => {
        const { topics, ...settings } = d.settings;
        await c.query(
          `INSERT INTO destinations (key, platform, kind, id, workspace, settings, state, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (key) DO UPDATE SET platform = EXCLUDED.platform, kind = EXCLUDED.kind, id = EXCLUDED.id,
             workspace = EXCLUDED.workspace, settings = EXCLUDED.settings, state = EXCLUDED.state, created_at = EXCLUDED.created_at`,
          [d.key, d.platform, d.kind, d.id, d.workspace ?? null, JSON.stringify(settings), JSON.stringify(d.state), d.createdAt],
        );
        await c.query('DELETE FROM destination_topics WHERE destination_key = $1', [d.key]);
        await insertTopics(c, d.key, topics);
      }),
    ),
  };
}
