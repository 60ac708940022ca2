/**
 * Versioned schema of the PostgreSQL store. Append new migrations; never edit an applied one
 * (the runner refuses a database whose recorded version is newer than the code knows).
 */
import type pg from 'pg';
import { PaperboyError } from '../../core/model/errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE papers (
        id          text PRIMARY KEY,
        listed_on   text NOT NULL,
        upvotes     double precision NOT NULL DEFAULT 0,
        data        jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX papers_listed_on_idx ON papers (listed_on);

      CREATE TABLE fetched_days (
        day    text PRIMARY KEY,
        at     text NOT NULL,
        count  integer NOT NULL
      );

      CREATE TABLE destinations (
        key         text PRIMARY KEY,
        seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        platform    text NOT NULL,
        kind        text NOT NULL,
        id          text NOT NULL,
        workspace   text,
        settings    jsonb NOT NULL,
        state       jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at  text NOT NULL
      );
      CREATE INDEX destinations_platform_kind_idx ON destinations (platform, kind);

      -- topics as rows: dedupe by a folded key, order by insertion
      CREATE TABLE destination_topics (
        destination_key  text NOT NULL REFERENCES destinations (key) ON DELETE CASCADE,
        topic_key        text NOT NULL,
        topic            text NOT NULL,
        seq              bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (destination_key, topic_key)
      );
      CREATE INDEX destination_topics_order_idx ON destination_topics (destination_key, seq);

      -- no foreign key: a claim must never fail because of destination bookkeeping
      CREATE TABLE digest_ledger (
        destination_key  text NOT NULL,
        day              text NOT NULL,
        status           text NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
        claimed_at       text NOT NULL,
        finished_at      text,
        paper_ids        text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (destination_key, day)
      );

      CREATE TABLE delivered_papers (
        destination_key  text NOT NULL,
        paper_id         text NOT NULL,
        day              text NOT NULL,
        at               text NOT NULL,
        PRIMARY KEY (destination_key, paper_id)
      );
    `,
  },
  {
    // One round trip per topic change instead of five: the lock, the check against the cap and the
    // write run server-side. Each statement of a volatile PL/pgSQL function takes a fresh snapshot,
    // so after waiting on the row lock it sees the topics the other writer committed.
    version: 2,
    name: 'topic functions',
    sql: `
      CREATE FUNCTION paperboy_add_topic(p_key text, p_topic_key text, p_topic text, p_max integer)
      RETURNS TABLE (o_found boolean, o_added boolean, o_topics text[])
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_state jsonb;
        v_count integer;
        v_dup boolean;
      BEGIN
        SELECT d.state INTO v_state FROM destinations d WHERE d.key = p_key FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, false, NULL::text[];
          RETURN;
        END IF;
        SELECT count(*), coalesce(bool_or(t.topic_key = p_topic_key), false) INTO v_count, v_dup
          FROM destination_topics t WHERE t.destination_key = p_key;
        o_added := NOT v_dup AND v_count < p_max;
        IF o_added THEN
          INSERT INTO destination_topics (destination_key, topic_key, topic) VALUES (p_key, p_topic_key, p_topic);
          -- a user changing topics re-enables a destination stopped by a permanent failure
          IF coalesce((v_state->'lastFailure'->>'permanent')::boolean, false) THEN
            UPDATE destinations SET state = (v_state - 'lastFailure') || '{"failures": 0}'::jsonb WHERE key = p_key;
          END IF;
        END IF;
        RETURN QUERY SELECT true, o_added,
          coalesce((SELECT array_agg(t.topic ORDER BY t.seq) FROM destination_topics t WHERE t.destination_key = p_key), '{}');
      END
      $fn$;

      CREATE FUNCTION paperboy_remove_topic(p_key text, p_topic_key text)
      RETURNS TABLE (o_found boolean, o_removed boolean, o_topics text[])
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_state jsonb;
      BEGIN
        SELECT d.state INTO v_state FROM destinations d WHERE d.key = p_key FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, false, NULL::text[];
          RETURN;
        END IF;
        DELETE FROM destination_topics t WHERE t.destination_key = p_key AND t.topic_key = p_topic_key;
        o_removed := FOUND;
        IF o_removed AND coalesce((v_state->'lastFailure'->>'permanent')::boolean, false) THEN
          UPDATE destinations SET state = (v_state - 'lastFailure') || '{"failures": 0}'::jsonb WHERE key = p_key;
        END IF;
        RETURN QUERY SELECT true, o_removed,
          coalesce((SELECT array_agg(t.topic ORDER BY t.seq) FROM destination_topics t WHERE t.destination_key = p_key), '{}');
      END
      $fn$;
    `,
  },
  {
    // Slack OAuth: one row per workspace (or Enterprise Grid org) that installed the app, read by
    // Bolt's InstallationStore on every request, so one deployment serves many workspaces.
    version: 3,
    name: 'slack installations',
    sql: `
      CREATE TABLE slack_installations (
        install_key    text PRIMARY KEY,
        team_id        text,
        enterprise_id  text,
        is_enterprise  boolean NOT NULL DEFAULT false,
        installation   jsonb NOT NULL,
        installed_at   timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // arXiv as a second source: each source's first listing day, taken from the paper's JSON, so a
    // digest window finds a paper by either day (rows written before have no sources: NULL, and
    // listed_on is their Hugging Face day).
    version: 4,
    name: 'paper sources',
    sql: `
      ALTER TABLE papers
        ADD COLUMN hf_on text GENERATED ALWAYS AS (data->'sources'->>'hf') STORED,
        ADD COLUMN arxiv_on text GENERATED ALWAYS AS (data->'sources'->>'arxiv') STORED;
      CREATE INDEX papers_hf_on_idx ON papers (hf_on) WHERE hf_on IS NOT NULL;
      CREATE INDEX papers_arxiv_on_idx ON papers (arxiv_on) WHERE arxiv_on IS NOT NULL;
    `,
  },
  {
    // Saved papers: each person's own list, read newest first; no foreign key to papers, so a
    // saved paper is never lost to paper bookkeeping.
    version: 5,
    name: 'saved papers',
    sql: `
      CREATE TABLE saved_papers (
        user_key  text NOT NULL,
        paper_id  text NOT NULL,
        saved_at  text NOT NULL,
        PRIMARY KEY (user_key, paper_id)
      );
      CREATE INDEX saved_papers_newest_idx ON saved_papers (user_key, saved_at DESC, paper_id);
    `,
  },
  {
    // Paper revisions, so an index kept outside the database catches up on what changed: every
    // insert and every update that changes a row takes the next rev (a trigger, so no writer can
    // forget it); the epoch names this database's paper set. Existing rows get revs in listing order.
    version: 6,
    name: 'paper revisions',
    sql: `
      CREATE SEQUENCE papers_rev_seq AS bigint;
      ALTER TABLE papers ADD COLUMN rev bigint;
      UPDATE papers p SET rev = o.n
        FROM (SELECT id, nextval('papers_rev_seq') AS n FROM (SELECT id FROM papers ORDER BY listed_on, id) s) o
        WHERE p.id = o.id;
      -- No column default: the trigger sets it, and a default would take a second number per insert.
      ALTER TABLE papers ALTER COLUMN rev SET NOT NULL;
      ALTER SEQUENCE papers_rev_seq OWNED BY papers.rev;
      CREATE UNIQUE INDEX papers_rev_idx ON papers (rev);

      CREATE FUNCTION paperboy_paper_rev() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.rev := nextval('papers_rev_seq');
        ELSIF (NEW.data, NEW.listed_on, NEW.upvotes) IS DISTINCT FROM (OLD.data, OLD.listed_on, OLD.upvotes) THEN
          NEW.rev := nextval('papers_rev_seq');
        ELSE
          NEW.rev := OLD.rev;
        END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER papers_rev BEFORE INSERT OR UPDATE ON papers FOR EACH ROW EXECUTE FUNCTION paperboy_paper_rev();

      CREATE TABLE store_meta (
        one    boolean PRIMARY KEY DEFAULT true CHECK (one),
        epoch  uuid NOT NULL DEFAULT gen_random_uuid()
      );
      INSERT INTO store_meta DEFAULT VALUES;
    `,
  },
];

/** Any constant works; it only has to be the same in every replica. */
const MIGRATION_LOCK_KEY = 0x50_61_70_65_72; // "Paper"

/**
 * Applies the pending migrations in one transaction. `pg_advisory_xact_lock` serialises replicas
 * starting together: the second waits, then finds nothing left to do.
 */
export async function runMigrations(client: pg.ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      name        text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new PaperboyError(
        'store',
        `The database schema is at version ${newest}, newer than this Paperboy knows (${known}).`,
        'Upgrade Paperboy before pointing it at this database.',
      );
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
  return applied;
}
