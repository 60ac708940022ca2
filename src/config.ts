import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { PaperboyError } from './core/model/errors.ts';
import { checkJobTuning, JOB_VARIABLES, type JobTuning } from './jobs/tuning.ts';
import { isPostgresUrl } from './store/url.ts';
import { ARXIV_INTERVAL_MS, canonicalCategory, closeCategories } from './core/sources/arxiv/index.ts';

/**
 * Application configuration, read from the environment (and `.env`) and validated at start-up.
 * This type is the contract every adapter reads; `loadConfig` below builds it.
 */
export interface AppConfig {
  /** `file:PATH` (lowdb JSON) or `postgres://...`. */
  databaseUrl: string;
  /**
   * Folder of the persisted search index (INDEX_DIR). Unset: `index/` beside a JSON store file;
   * with PostgreSQL unset means the index is rebuilt at every start. Each process needs its own:
   * with PostgreSQL, a cache folder per replica.
   */
  indexDir?: string;
  hfEndpoint: string;
  /** Always set by loadConfig; absent (hand-built configs in tests), arXiv is off. */
  arxiv?: {
    /** Announcement feeds base (`{rssUrl}/rss/CAT`). */
    rssUrl: string;
    /** Export API base (`{apiUrl}/query`). */
    apiUrl: string;
    /** Fetched even when no topic names them. */
    categories: string[];
    /** Named in the User-Agent, so arXiv can reach the operator. */
    contact?: string;
    /** Gap between requests (3000; shorter only against a non-arXiv host, for tests). */
    intervalMs: number;
  };
  discord?: {
    token: string;
    applicationId: string;
    /** HTTP API base without version, e.g. `https://discord.com/api`. */
    apiUrl: string;
    /** Register commands to this guild only (fast during development). */
    guildId?: string;
    /** Set: interactions arrive signed over HTTP at /discord/interactions; no gateway session. */
    publicKey?: string;
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
    /** OAuth install flow for many workspaces (PostgreSQL only); `botToken` is then empty. */
    oauth?: { clientId: string; clientSecret: string; stateSecret: string; scopes?: string[]; redirectUri?: string };
  };
  port: number;
  digestTime: string;
  digestTimezone: string;
  /** How late a missed digest may still be sent after downtime. */
  catchUpHours: number;
  /**
   * How long one Discord or Slack request may take; past it a digest post's outcome is unknown and
   * it is read back before anything is posted again (PLATFORM_TIMEOUT_SECONDS, default 10 s).
   */
  platformTimeoutMs?: number;
  logLevel: string;
  /** Job tuning (JOB_*), used with PostgreSQL; defaults where unset. */
  jobs?: JobTuning;
}

/** Every problem found, one clear line each (`VARIABLE: what is wrong`). */
export class ConfigError extends PaperboyError {
  constructor(readonly problems: string[]) {
    super('config', `Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = (what: string) =>
  z.string().refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, `must be an http(s) URL for ${what}, e.g. https://example.com`);

const integer = (min: number, max: number, example: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number (e.g. ${example})`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const schema = z
  .object({
    DATABASE_URL: z
      .string()
      .default('file:./data/paperboy.json')
      .refine(
        (v) => (v.startsWith('file:') && v.length > 'file:'.length) || isPostgresUrl(v),
        'must be file:PATH (JSON file) or postgres://... (PostgreSQL)',
      ),
    INDEX_DIR: z.string().optional(),
    HF_ENDPOINT: httpUrl('the Hugging Face Hub').default('https://huggingface.co'),
    ARXIV_RSS_URL: httpUrl("arXiv's announcement feeds").default('https://rss.arxiv.org'),
    ARXIV_API_URL: httpUrl("arXiv's export API").default('https://export.arxiv.org/api'),
    ARXIV_CATEGORIES: z
      .string()
      .default('')
      .transform((v) => v.split(/[\s,+]+/).filter(Boolean))
      .superRefine((cats, ctx) => {
        for (const c of cats) {
          if (canonicalCategory(c)) continue;
          const close = closeCategories(c);
          ctx.addIssue({ code: 'custom', message: `names "${c}", not an arXiv category${close.length ? ` (close: ${close.join(', ')})` : ''}` });
        }
      })
      .transform((cats) => [...new Set(cats.map((c) => canonicalCategory(c)!))]),
    ARXIV_CONTACT: z.string().max(200, 'must be at most 200 characters (an e-mail or URL)').optional(),
    ARXIV_INTERVAL_MS: integer(0, 600_000, '3000').default(ARXIV_INTERVAL_MS),
    DISCORD_TOKEN: z.string().optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'must be the numeric application id').optional(),
    DISCORD_API_URL: httpUrl('the Discord API').default('https://discord.com/api'),
    DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'must be a numeric guild id').optional(),
    DISCORD_PUBLIC_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "must be the application's public key: 64 hex characters (Developer Portal, General Information)")
      .optional(),
    SLACK_BOT_TOKEN: z.string().optional(),
    SLACK_SIGNING_SECRET: z.string().optional(),
    SLACK_APP_TOKEN: z.string().optional(),
    SLACK_API_URL: httpUrl('the Slack Web API').default('https://slack.com/api/'),
    SLACK_ADMIN_USERS: z.string().default(''),
    SLACK_CLIENT_ID: z.string().optional(),
    SLACK_CLIENT_SECRET: z.string().optional(),
    SLACK_STATE_SECRET: z.string().optional(),
    SLACK_SCOPES: z.string().optional(),
    SLACK_REDIRECT_URI: httpUrl('the public /slack/oauth_redirect').optional(),
    PORT: integer(0, 65535, '3000').default(3000),
    DIGEST_TIME: z
      .string()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, e.g. 09:00')
      .default('09:00'),
    DIGEST_TIMEZONE: z
      .string()
      .refine(isValidTimezone, 'is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)')
      .default('UTC'),
    CATCH_UP_HOURS: integer(0, 168, '6').default(6),
    PLATFORM_TIMEOUT_SECONDS: integer(1, 600, '10').default(10),
    LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default('info'),
  });

/** Variables that only make sense together; checked on the raw values so they show beside other problems. */
function pairingProblems(v: Env): string[] {
  const problems: string[] = [];
  const needs = (set: string, missing: string, why: string) => {
    if (v[set] !== undefined && v[missing] === undefined) problems.push(`${missing} is required when ${set} is set (${why})`);
  };
  needs('DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'Discord needs both');
  needs('DISCORD_APPLICATION_ID', 'DISCORD_TOKEN', 'Discord needs both');
  needs('DISCORD_PUBLIC_KEY', 'DISCORD_TOKEN', 'HTTP interactions still deliver digests with the bot token');
  needs('DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID', 'follow-ups go to the application');
  if (v.SLACK_BOT_TOKEN !== undefined && v.SLACK_SIGNING_SECRET === undefined && v.SLACK_APP_TOKEN === undefined) {
    problems.push('SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const oauth = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  if (oauth.some((k) => v[k] !== undefined)) {
    for (const k of oauth) needs(oauth.find((o) => v[o] !== undefined)!, k, 'Slack OAuth needs all three');
    needs('SLACK_CLIENT_ID', 'SLACK_SIGNING_SECRET', 'Slack OAuth runs in HTTP mode');
    if (v.SLACK_CLIENT_ID !== undefined && !isPostgresUrl(v.DATABASE_URL)) {
      problems.push('DATABASE_URL must be postgres://... when SLACK_CLIENT_ID is set (installations are stored in PostgreSQL)');
    }
  } else {
    needs('SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'Slack needs a bot token');
  }
  needs('SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'Slack needs a bot token');
  return [...new Set(problems)];
}

/** Reads `.env` (when present) under the given environment: real variables win over the file. */
export function readEnv(env: Env = process.env, envFile = '.env'): Env {
  let fromFile: Env = {};
  if (envFile && existsSync(envFile)) fromFile = parseDotenv(readFileSync(envFile));
  const merged: Env = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}

/** Validates without throwing: the config, or every problem found. */
export function checkConfig(env: Env): { config?: AppConfig; problems: string[] } {
  // `FOO=` in a copied .env.example means "unset", not "empty value".
  const cleaned: Env = {};
  for (const k of [...Object.keys(schema.shape), ...JOB_VARIABLES]) {
    const v = env[k]?.trim();
    if (v) cleaned[k] = v;
  }
  const result = schema.safeParse(cleaned);
  const pairing = pairingProblems(cleaned);
  const jobs = checkJobTuning(cleaned);
  pairing.push(...jobs.problems);
  if (!result.success || pairing.length > 0) {
    const issues = result.success ? [] : result.error.issues;
    const problems = issues.map((i) => {
      const key = String(i.path[0] ?? 'config');
      const value = cleaned[key];
      const shown = value !== undefined && !/TOKEN|SECRET/.test(key) ? ` (got "${value}")` : '';
      return `${key} ${i.message}${shown}`;
    });
    return { problems: [...new Set([...problems, ...pairing])] };
  }
  const v = result.data;
  const config: AppConfig = {
    databaseUrl: v.DATABASE_URL,
    ...(v.INDEX_DIR ? { indexDir: v.INDEX_DIR } : {}),
    hfEndpoint: v.HF_ENDPOINT.replace(/\/+$/, ''),
    arxiv: {
      rssUrl: v.ARXIV_RSS_URL.replace(/\/+$/, ''),
      apiUrl: v.ARXIV_API_URL.replace(/\/+$/, ''),
      categories: v.ARXIV_CATEGORIES,
      ...(v.ARXIV_CONTACT?.trim() ? { contact: v.ARXIV_CONTACT.trim() } : {}),
      // arXiv's own hosts always get their 3 s.
      intervalMs: [v.ARXIV_RSS_URL, v.ARXIV_API_URL].some((u) => /(^|\.)arxiv\.org$/i.test(new URL(u).hostname))
        ? Math.max(ARXIV_INTERVAL_MS, v.ARXIV_INTERVAL_MS)
        : v.ARXIV_INTERVAL_MS,
    },
    port: v.PORT,
    digestTime: v.DIGEST_TIME.padStart(5, '0'),
    digestTimezone: v.DIGEST_TIMEZONE,
    catchUpHours: v.CATCH_UP_HOURS,
    platformTimeoutMs: v.PLATFORM_TIMEOUT_SECONDS * 1000,
    logLevel: v.LOG_LEVEL,
    jobs: jobs.tuning,
  };
  if (v.DISCORD_TOKEN && v.DISCORD_APPLICATION_ID) {
    config.discord = {
      token: v.DISCORD_TOKEN,
      applicationId: v.DISCORD_APPLICATION_ID,
      apiUrl: v.DISCORD_API_URL.replace(/\/+$/, ''),
      ...(v.DISCORD_GUILD_ID ? { guildId: v.DISCORD_GUILD_ID } : {}),
      ...(v.DISCORD_PUBLIC_KEY ? { publicKey: v.DISCORD_PUBLIC_KEY.toLowerCase() } : {}),
    };
  }
  const oauth =
    v.SLACK_CLIENT_ID && v.SLACK_CLIENT_SECRET && v.SLACK_STATE_SECRET
      ? {
          clientId: v.SLACK_CLIENT_ID,
          clientSecret: v.SLACK_CLIENT_SECRET,
          stateSecret: v.SLACK_STATE_SECRET,
          ...(v.SLACK_SCOPES ? { scopes: v.SLACK_SCOPES.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
          ...(v.SLACK_REDIRECT_URI ? { redirectUri: v.SLACK_REDIRECT_URI } : {}),
        }
      : undefined;
  if (v.SLACK_BOT_TOKEN || oauth) {
    config.slack = {
      botToken: v.SLACK_BOT_TOKEN ?? '',
      ...(oauth ? { oauth } : {}),
      apiUrl: v.SLACK_API_URL.endsWith('/') ? v.SLACK_API_URL : `${v.SLACK_API_URL}/`,
      adminUsers: v.SLACK_ADMIN_USERS.split(',').map((s) => s.trim()).filter(Boolean),
      ...(v.SLACK_SIGNING_SECRET ? { signingSecret: v.SLACK_SIGNING_SECRET } : {}),
      ...(v.SLACK_APP_TOKEN ? { appToken: v.SLACK_APP_TOKEN } : {}),
    };
  }
  return { config, problems: [] };
}

/**
 * The validated configuration from `env` plus `.env` (if present). Throws ConfigError listing
 * every problem at once, so a user fixes them in one go.
 */
export function loadConfig(env: Env = process.env, opts: { envFile?: string } = {}): AppConfig {
  const { config, problems } = checkConfig(readEnv(env, opts.envFile ?? '.env'));
  if (!config) throw new ConfigError(problems);
  return config;
}
