/**
 * The installations port over PostgreSQL (table of migration 3): the OAuth flow stores each
 * workspace's installation here, and every request and digest of that workspace reads its token.
 */
import pg from 'pg';
import { installKey, type InstallationsPort } from '../installations.ts';
import { PG_TIMEOUTS } from './db.ts';

const PgPool = pg.Pool;

export function pgInstallations(pool: Pick<pg.Pool, 'query'>): InstallationsPort {
  async function byKey(key: string): Promise<object | undefined> {
    const { rows } = await pool.query<{ installation: object }>('SELECT installation FROM slack_installations WHERE install_key = $1', [key]);
    return rows[0]?.installation;
  }
  return {
    async save(key, installation) {
      await pool.query(
        `INSERT INTO slack_installations (install_key, team_id, enterprise_id, is_enterprise, installation)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (install_key) DO UPDATE SET team_id = EXCLUDED.team_id, enterprise_id = EXCLUDED.enterprise_id,
           is_enterprise = EXCLUDED.is_enterprise, installation = EXCLUDED.installation, updated_at = now()`,
        [installKey(key), key.teamId ?? null, key.enterpriseId ?? null, key.isEnterprise, JSON.stringify(installation)],
      );
    },
    async find(key) {
      const found = await byKey(installKey(key));
      if (found || !key.enterpriseId) return found;
      return byKey(`E:${key.enterpriseId}`);
    },
    async remove(key) {
      await pool.query('DELETE FROM slack_installations WHERE install_key = $1', [installKey(key)]);
    },
    async botToken(teamId) {
      const { rows } = await pool.query<{ token: string | null }>(
        `SELECT installation->'bot'->>'token' AS token FROM slack_installations
         WHERE install_key = ANY($1::text[]) ORDER BY install_key LIKE 'T:%' DESC LIMIT 1`,
        [[`T:${teamId}`, `E:${teamId}`]],
      );
      return rows[0]?.token ?? undefined;
    },
    async count() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM slack_installations');
      return Number(rows[0]?.n ?? 0);
    },
  };
}

/** A small pool of its own for the installations; the table comes with the store's migrations. */
export function openInstallations(url: string, logger: { error(o: object, m?: string): void }): { store: InstallationsPort; close(): Promise<void> } {
  const pool = new PgPool({ connectionString: url, ...PG_TIMEOUTS, max: 3, application_name: 'paperboy-slack-installs' });
  pool.on('error', (e) => logger.error({ err: e.message }, 'Slack installation store connection error'));
  return { store: pgInstallations(pool), close: () => pool.end() };
}
