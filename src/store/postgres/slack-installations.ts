/**
 * Bolt's InstallationStore over PostgreSQL (table of migration 3): the OAuth flow stores each
 * workspace's installation here and Bolt reads its token for every request from that workspace.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import pg from 'pg';

const PgPool = pg.Pool;

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** Org-wide installs (Enterprise Grid) are keyed by enterprise, the others by workspace. */
function keyOf(isEnterprise: boolean, enterpriseId: string | undefined, teamId: string | undefined): string {
  if (isEnterprise && enterpriseId) return `E:${enterpriseId}`;
  if (teamId) return `T:${teamId}`;
  throw new Error('Slack installation without a team or enterprise id');
}

function queryKey(q: InstallationQuery<boolean>): string {
  return keyOf(q.isEnterpriseInstall === true, q.enterpriseId, q.teamId);
}

export interface SlackInstallations extends InstallationStore {
  /**
   * The bot token for scheduled digests of a destination's workspace: a workspace install (`T:`),
   * else an org-wide install (`E:`, whose destinations carry the enterprise id); undefined if neither.
   */
  botToken(teamId: string): Promise<string | undefined>;
  count(): Promise<number>;
}

export function pgInstallationStore(pool: Pick<pg.Pool, 'query'>): SlackInstallations {
  async function find(key: string): Promise<AnyInstallation | undefined> {
    const { rows } = await pool.query<{ installation: AnyInstallation }>('SELECT installation FROM slack_installations WHERE install_key = $1', [key]);
    return rows[0]?.installation;
  }
  return {
    async storeInstallation(installation) {
      const isEnterprise = installation.isEnterpriseInstall === true;
      const key = keyOf(isEnterprise, installation.enterprise?.id, installation.team?.id);
      // A reinstall (new scopes, new token) replaces the old row.
      await pool.query(
        `INSERT INTO slack_installations (install_key, team_id, enterprise_id, is_enterprise, installation)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (install_key) DO UPDATE SET team_id = EXCLUDED.team_id, enterprise_id = EXCLUDED.enterprise_id,
           is_enterprise = EXCLUDED.is_enterprise, installation = EXCLUDED.installation, updated_at = now()`,
        [key, installation.team?.id ?? null, installation.enterprise?.id ?? null, isEnterprise, JSON.stringify(installation)],
      );
    },
    async fetchInstallation(query) {
      let found = await find(queryKey(query));
      // A workspace of an org that installed org-wide is served by the org's installation.
      if (!found && query.enterpriseId) found = await find(`E:${query.enterpriseId}`);
      // Bolt expects a throw when there is none; it answers the request as unauthorized.
      if (!found) throw new Error(`No Slack installation for ${query.teamId ?? query.enterpriseId ?? 'this request'}; install the app at /slack/install.`);
      return found;
    },
    async deleteInstallation(query) {
      await pool.query('DELETE FROM slack_installations WHERE install_key = $1', [queryKey(query)]);
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

/** A small pool of its own for the installation store; the table comes with the store's migrations. */
export function openSlackInstallations(url: string, logger: { error(o: object, m?: string): void }): { store: SlackInstallations; close(): Promise<void> } {
  const pool = new PgPool({ connectionString: url, max: 3, application_name: 'paperboy-slack-installs' });
  pool.on('error', (e) => logger.error({ err: e.message }, 'Slack installation store connection error'));
  return { store: pgInstallationStore(pool), close: () => pool.end() };
}
