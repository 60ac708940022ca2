/**
 * Slack's OAuth install flow for many workspaces: `/slack/install` sends the installer to Slack,
 * `/slack/oauth_redirect` exchanges the code (oauth.v2.access) and stores the installation, and
 * Bolt then authorizes every request with that workspace's own token.
 * On when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are all set.
 */
import type { AppOptions, InstallationStore } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { DeliveryError } from '../../core/index.ts';

/** What the app asks for at install: the manifest's scopes plus history for crash reconciling. */
export const OAUTH_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'groups:history', 'im:history'];
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  scopes: string[];
  /** Public URL of /slack/oauth_redirect when Slack must be told it explicitly. */
  redirectUri?: string;
}

/** From the validated configuration (config.slack.oauth), with the default scopes. */
export function slackOAuthConfig(c: { clientId: string; clientSecret: string; stateSecret: string; scopes?: string[]; redirectUri?: string }): SlackOAuthConfig {
  return { ...c, scopes: c.scopes?.length ? c.scopes : OAUTH_BOT_SCOPES };
}

/** Bolt App options for the OAuth flow (used instead of a single `token`). */
export function slackOAuthAppOptions(
  oauth: SlackOAuthConfig,
  installationStore: InstallationStore,
  clientOptions: NonNullable<AppOptions['clientOptions']>,
): Pick<AppOptions, 'clientId' | 'clientSecret' | 'stateSecret' | 'scopes' | 'installationStore' | 'installerOptions' | 'redirectUri'> {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: oauth.scopes,
    installationStore,
    ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // Straight to Slack's consent page, no intermediate "Add to Slack" page.
      directInstall: true,
      // oauth.v2.access and auth.test go to SLACK_API_URL like every other call.
      clientOptions,
    },
  };
}

/** Tokens of installed workspaces (the PostgreSQL InstallationStore provides it). */
export interface WorkspaceTokens {
  botToken(teamId: string): Promise<string | undefined>;
}

export interface SlackOAuthSetup {
  config: SlackOAuthConfig;
  installationStore: InstallationStore;
  tokens: WorkspaceTokens;
}

/**
 * One `T` (a delivery, a context source) per workspace token, made on first use. A reinstall
 * brings a new token and with it a fresh `T`.
 */
export function perWorkspace<T>(tokens: WorkspaceTokens, make: (token: string) => T): (teamId: string | undefined) => Promise<T> {
  // One per token; the least recently used goes first (a revoked token's clients age out).
  const byToken = new LRUCache<string, T & object>({ max: 10_000 });
  return async (teamId) => {
    const token = teamId ? await tokens.botToken(teamId) : undefined;
    if (!token) {
      throw new DeliveryError('not_installed', `Paperboy is not installed in the Slack workspace ${teamId ?? '(unknown)'}; install it at ${INSTALL_PATH}.`, true);
    }
    let t = byToken.get(token);
    if (!t) {
      t = make(token) as T & object;
      byToken.set(token, t);
    }
    return t;
  };
}
