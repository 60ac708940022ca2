import type { ArxivSource } from '../sources/arxiv/index.ts';
import type { DestinationRef, Platform } from '../model/destination.ts';
import type { Reply } from '../model/reply.ts';
import type { RateLimiter } from '../limits/rate-limit.ts';
import type { Clock, Logger, PaperSource, SearchIndex, Store } from '../ports.ts';

export type CommandName = 'papers' | 'topics' | 'digest';

export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required: boolean;
  /** Where autocomplete suggestions come from, if any. */
  autocomplete?: 'own-topics' | 'channel-topics' | 'timezone';
  /** Fixed choices (Discord choices, text validation). */
  choices?: string[];
  /** In typed text, this option takes the rest of the line (queries, topics). */
  rest?: boolean;
}

/** One neutral command: `/papers`, or one subcommand such as `/topics add`. */
export interface CommandSpec {
  command: CommandName;
  /** Subcommand name; undefined for `/papers`. */
  sub?: string;
  description: string;
  options: OptionSpec[];
  /** `manage-channel`: Discord Manage Channels, Slack admin/owner or SLACK_ADMIN_USERS. */
  permission?: 'manage-channel';
  /** Needs a channel (not usable in a DM). */
  needsChannel?: boolean;
  /** Usage line shown with errors, e.g. `/topics add TOPIC`. */
  usage: string;
  run(ctx: CommandContext, args: CommandArgs, deps: CoreDeps): Promise<Reply>;
}

export type CommandArgs = Record<string, string | number | undefined>;

/** Who is asking, and where. Built by each adapter from its platform event. */
export interface CommandContext {
  platform: Platform;
  /** The caller as a personal destination. */
  user: DestinationRef & { kind: 'user' };
  /** The channel the command was typed in; undefined in a DM. */
  channel?: DestinationRef & { kind: 'channel' };
  /** Checked by the adapter at run time (Discord permissions, Slack admin). */
  canManageChannel: boolean;
  /** The caller's own time zone, when the platform knows it (Slack profile `tz`). */
  userTimezone?: string;
}

export interface CoreConfig {
  digestTime: string;
  digestTimezone: string;
  maxPapersPerDigest: number;
  maxTopicsPerUser: number;
  maxTopicsPerChannel: number;
  maxQueryLength: number;
  /** Results per `/papers` page (and per page of `/papers saved`). */
  pageSize: number;
  /** Papers one person may keep with the Save button. */
  maxSavedPerUser: number;
}

export const defaultCoreConfig: CoreConfig = {
  digestTime: '09:00',
  digestTimezone: 'UTC',
  maxPapersPerDigest: 10,
  maxTopicsPerUser: 25,
  maxTopicsPerChannel: 50,
  maxQueryLength: 200,
  pageSize: 5,
  maxSavedPerUser: 500,
};

/** Everything a command or digest needs, handed in (tests pass fakes or a temp file). */
export interface CoreDeps {
  store: Store;
  index: SearchIndex;
  clock: Clock;
  logger: Logger;
  config: CoreConfig;
  source?: PaperSource;
  /** arXiv's announcements and export API; absent, no arXiv request is ever made. */
  arxiv?: ArxivSource;
  /** Categories fetched even when no topic names them (`ARXIV_CATEGORIES`). */
  arxivCategories?: string[];
  /** Per-user command rate limit applied by runCommand/runAction; none when absent (tests, terminal). */
  limiter?: RateLimiter;
  /** Told how long each command took (the app feeds /metrics with it). */
  onCommand?: (c: { command: string; ms: number }) => void;
}
