/** DestinationStore over PostgreSQL: settings and state as JSONB, topics as ordered rows. */
import type pg from 'pg';
import type { Destination, DestinationRef, DestinationSettings, DestinationState } from '../../core/model/destination.ts';
import { destinationKey } from '../../core/model/destination.ts';
import { PaperboyError } from '../../core/model/errors.ts';
import type { Clock, DestinationStore } from '../../core/ports.ts';
import { normaliseTopic } from '../memory/index.ts';
import { need } from './checks.ts';
import { wrap, type Db } from './db.ts';

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

const SETTINGS_KEYS = ['time', 'timezone', 'paused', 'weekdaysOnly', 'weeklyOn', 'style', 'notifyEmpty', 'maxPapers'] as const;
const STATE_KEYS = ['lastRunAt', 'lastRunPapers', 'lastDigestDay', 'lastFailure', 'failures', 'sending'] as const;

/** Same normalisation and case-insensitive key as the memory/JSON store. */
export const topicKey = (topic: string): string => normaliseTopic(topic).toLowerCase();

/** A user changing settings or topics re-enables a destination stopped by a permanent failure. */
function clearPermanent(state: DestinationState): DestinationState {
  if (!state.lastFailure?.permanent) return state;
  const { lastFailure: _gone, ...rest } = state;
  return { ...rest, failures: 0 };
}

/** The memory store compares `length >= max`; a cap that is not a finite number never binds. */
const capOf = (max: number) => (Number.isFinite(max) ? Math.max(-1, Math.min(2 ** 31 - 1, Math.ceil(max))) : 2 ** 31 - 1);

interface TopicResult {
  o_found: boolean;
  o_topics: string[];
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

async function saveState(c: pg.ClientBase, d: Destination, state: DestinationState): Promise<void> {
  if (state !== d.state) await c.query('UPDATE destinations SET state = $2 WHERE key = $1', [d.key, JSON.stringify(state)]);
}

/** Inserts in order; a topic equal (case-insensitively) to one already there is skipped. */
async function insertTopics(c: pg.ClientBase, key: string, topics: string[]): Promise<void> {
  for (const t of topics) {
    await c.query(
      'INSERT INTO destination_topics (destination_key, topic_key, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [key, topicKey(t), t],
    );
  }
}

export function destinationStore(db: Db, clock: Clock): DestinationStore & {
  importDestination(d: Destination): Promise<void>;
} {
  return {
    getDestination: wrap('getDestination', (key: string) => load(db, key)),

    ensureDestination: wrap('ensureDestination', async (ref: DestinationRef, defaults: DestinationSettings) => {
      need(typeof ref?.id === 'string' && ref.id.length > 0, 'A destination needs an id.');
      need(['discord', 'slack', 'shell'].includes(ref.platform), `Unknown platform ${String(ref.platform)}.`);
      need(ref.kind === 'channel' || ref.kind === 'user', `Unknown destination kind ${String(ref.kind)}.`);
      const key = destinationKey(ref);
      const existing = await load(db, key);
      if (existing) return existing;
      return db.tx(async (c) => {
        const { topics, ...settings } = defaults;
        const ins = await c.query(
          `INSERT INTO destinations (key, platform, kind, id, workspace, settings, state, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, '{}'::jsonb, $7) ON CONFLICT (key) DO NOTHING`,
          [key, ref.platform, ref.kind, ref.id, ref.workspace ?? null, JSON.stringify(settings), clock.now().toISOString()],
        );
        // Another replica may have created it between our read and insert: theirs stands.
        if (ins.rowCount === 1) await insertTopics(c, key, (topics ?? []).map(normaliseTopic).filter(Boolean));
        const d = await load(c, key);
        if (!d) throw notFound(key);
        return d;
      });
    }),

    // Both run as one server-side function (migration 2): one round trip, row-locked.
    addTopic: wrap('addTopic', async (key: string, topic: string, max: number) => {
      const n = typeof topic === 'string' ? normaliseTopic(topic) : '';
      need(n.length > 0, 'A topic cannot be empty.');
      const { rows } = await db.query<TopicResult & { o_added: boolean }>('SELECT * FROM paperboy_add_topic($1, $2, $3, $4)', [key, topicKey(n), n, capOf(max)]);
      const r = rows[0];
      if (!r?.o_found) throw notFound(key);
      return { added: r.o_added, topics: r.o_topics };
    }),

    removeTopic: wrap('removeTopic', async (key: string, topic: string) => {
      const k = typeof topic === 'string' ? topicKey(topic) : '';
      const { rows } = await db.query<TopicResult & { o_removed: boolean }>('SELECT * FROM paperboy_remove_topic($1, $2)', [key, k]);
      const r = rows[0];
      if (!r?.o_found) throw notFound(key);
      return { removed: r.o_removed, topics: r.o_topics };
    }),

    clearTopics: wrap('clearTopics', (key: string) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const res = await c.query('DELETE FROM destination_topics WHERE destination_key = $1', [key]);
        const n = res.rowCount ?? 0;
        if (n > 0) await saveState(c, d, clearPermanent(d.state));
        return n;
      }),
    ),

    /** `topics` and unknown keys in `patch` are ignored, `undefined` values too. */
    updateSettings: wrap('updateSettings', (key: string, patch: Partial<Omit<DestinationSettings, 'topics'>>) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const { topics, ...settings } = d.settings;
        for (const k of SETTINGS_KEYS) {
          const v = patch?.[k];
          if (v !== undefined) (settings as Record<string, unknown>)[k] = v;
        }
        const state = clearPermanent(d.state);
        await c.query('UPDATE destinations SET settings = $2, state = $3 WHERE key = $1', [key, JSON.stringify(settings), JSON.stringify(state)]);
        return { ...d, settings: { ...settings, topics }, state };
      }),
    ),

    /** A key present in `patch` with the value `undefined` is cleared; unknown keys are ignored. */
    updateState: wrap('updateState', (key: string, patch: Partial<DestinationState>) =>
      db.tx(async (c) => {
        const d = await load(c, key, true);
        if (!d) throw notFound(key);
        const state: Record<string, unknown> = { ...d.state };
        for (const k of STATE_KEYS) {
          if (!patch || !(k in patch)) continue;
          const v = patch[k];
          if (v === undefined) delete state[k];
          else state[k] = v;
        }
        await c.query('UPDATE destinations SET state = $2 WHERE key = $1', [key, JSON.stringify(state)]);
        return { ...d, state: state as DestinationState };
      }),
    ),

    listDestinations: wrap('listDestinations', async (filter?: { platform?: string; kind?: string }) => {
      // One grouped pass over the topics instead of a subquery per destination (100k at start-up).
      const { rows } = await db.query<Row>(
        `SELECT d.key, d.platform, d.kind, d.id, d.workspace, d.settings, d.state, d.created_at, COALESCE(t.topics, '{}') AS topics
         FROM destinations d
         LEFT JOIN (SELECT destination_key, array_agg(topic ORDER BY seq) AS topics FROM destination_topics GROUP BY destination_key) t
           ON t.destination_key = d.key
         WHERE ($1::text IS NULL OR d.platform = $1) AND ($2::text IS NULL OR d.kind = $2) ORDER BY d.seq`,
        [filter?.platform ?? null, filter?.kind ?? null],
      );
      return rows.map(toDestination);
    }),

    /** Migration: writes a destination exactly as given (createdAt, state, topics), replacing any. */
    importDestination: wrap('importDestination', (d: Destination) => {
      need(typeof d?.key === 'string' && d.key.length > 0, 'importDestination needs a destination with a key.');
      return db.tx(async (c) => {
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
      });
    }),
  };
}
