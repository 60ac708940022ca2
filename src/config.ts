/**
 * Application configuration, read from the environment (and `.env`) and validated at start-up.
 * `loadConfig` is implemented by the CLI/app work; this type is the contract every adapter reads.
 */
export interface AppConfig {
  /** `file:PATH` (lowdb JSON) or `postgres://...`. */
  databaseUrl: string;
  hfEndpoint: string;
  discord?: {
    token: string;
    applicationId: string;
    /** HTTP API base without version, e.g. `https://discord.com/api`. */
    apiUrl: string;
    /** Register commands to this guild only (fast during development). */
    guildId?: string;
  };
  slack?: {
    botToken: string;
    signingSecret?: string;
    /** Socket Mode when set. */
    appToken?: string;
    /** Web API base, e.g. `https://slack.com/api/`. */
    apiUrl: string;
    /** User ids allowed to manage channel digests besides admins and owners. */
    adminUsers: string[];
  };
  port: number;
  digestTime: string;
  digestTimezone: string;
  /** How late a missed digest may still be sent after downtime. */
  catchUpHours: number;
  logLevel: string;
}
