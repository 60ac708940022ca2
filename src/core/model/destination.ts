/** Where digests go: a channel or a person, on one platform. */
import type { Reply } from './reply.ts';

export type Platform = 'discord' | 'slack' | 'shell';
export type DestinationKind = 'channel' | 'user';

export interface DestinationRef {
  platform: Platform;
  kind: DestinationKind;
  /** Platform id of the channel or user. */
  id: string;
  /** Discord guild id or Slack team id, when there is one. */
  workspace?: string;
}

export interface DestinationSettings {
  /** Topic queries as the user typed them (normalised whitespace). */
  topics: string[];
  /** Local daily time, `HH:MM` (24h). */
  time: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
  /** `/topics pause` or `/digest off`. */
  paused: boolean;
  weekdaysOnly: boolean;
  /** Weekly cadence: the one local weekday (0 = Sunday … 6 = Saturday) it runs on; null or absent: daily. */
  weeklyOn?: number | null;
  /** How a channel's digest is posted; absent means `full`. */
  style?: DigestStyle;
  /** Post a one-line note when nothing new matched. */
  notifyEmpty: boolean;
  /** Papers shown in one digest. */
  maxPapers: number;
}

/** full: a card per paper; thread: a short header with the papers as replies in its thread; compact: a line per paper. */
export type DigestStyle = 'full' | 'thread' | 'compact';
export const DIGEST_STYLES: readonly DigestStyle[] = ['full', 'thread', 'compact'];

export interface DeliveryFailure {
  at: string;
  code: string;
  message: string;
  /** Permanent failures (channel deleted, no permission, DMs closed) stop retries until settings change. */
  permanent: boolean;
}

export interface DestinationState {
  /** ISO time of the last digest run that completed (sent, or nothing to send). */
  lastRunAt?: string;
  lastRunPapers?: number;
  /** Local day (`YYYY-MM-DD` in the destination's zone) of the last scheduled digest. */
  lastDigestDay?: string;
  lastFailure?: DeliveryFailure;
  /** Consecutive failed attempts, for backoff. */
  failures?: number;
  /** A digest of several messages still being delivered (cleared once its day is settled). */
  sending?: DigestInProgress;
}

/** A digest that takes several messages, recorded before its first part goes out. */
export interface DigestInProgress {
  /** Local day of the digest. */
  day: string;
  /** How many messages it takes, and those the platform confirmed (from 0, in posting order). */
  parts: number;
  landed: number[];
  /** The digest as built, so the remaining parts go out unchanged after a restart. */
  message: Reply;
}

export interface Destination extends DestinationRef {
  /** Stable key, see {@link destinationKey}. */
  key: string;
  settings: DestinationSettings;
  state: DestinationState;
  createdAt: string;
}

export function destinationKey(ref: DestinationRef): string {
  return `${ref.platform}:${ref.kind}:${ref.id}`;
}

export function parseDestinationKey(key: string): DestinationRef {
  const [platform, kind, ...rest] = key.split(':');
  if (!platform || !kind || rest.length === 0) throw new Error(`bad destination key: ${key}`);
  return { platform: platform as Platform, kind: kind as DestinationKind, id: rest.join(':') };
}
