/**
 * The installations port: where a chat platform's installation of Paperboy (one workspace, or an
 * organisation installing it org-wide) is kept for the OAuth flow. Neutral: the installation is
 * an opaque JSON object; the platform adapter (Slack's InstallationStore in src/bots/slack) maps
 * its own types onto it, so src/store imports no platform library.
 */
export interface InstallationKey {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** An org-wide install is kept under the organisation, not a workspace. */
  isEnterprise: boolean;
}

export interface InstallationsPort {
  /** Stores or replaces (a reinstall brings new scopes and a new token). */
  save(key: InstallationKey, installation: object): Promise<void>;
  /** The installation under the key; a workspace of an org that installed org-wide gets the org's. */
  find(key: InstallationKey): Promise<object | undefined>;
  remove(key: InstallationKey): Promise<void>;
  /**
   * The bot token (`bot.token` of the stored installation) for a destination's workspace: its own
   * install, else an org-wide one (whose destinations carry the enterprise id); undefined if neither.
   */
  botToken(teamId: string): Promise<string | undefined>;
  count(): Promise<number>;
}

/** Org-wide installs are keyed by enterprise, the others by workspace. */
export function installKey(k: InstallationKey): string {
  if (k.isEnterprise && k.enterpriseId) return `E:${k.enterpriseId}`;
  if (k.teamId) return `T:${k.teamId}`;
  throw new Error('installation without a team or enterprise id');
}
