/**
 * The interfaces the core works on. Implementations live outside the core (src/store, src/sources
 * wiring, adapters); tests hand in fakes or temp files.
 */
import type { TopicReading } from './search/explain.ts';
import type { Lexicon } from './search/lexicon.ts';
import type { Destination, DestinationRef, DestinationSettings, DestinationState, Platform } from './model/destination.ts';
import type { Paper, PaperHit } from './model/paper.ts';
import type { Reply } from './model/reply.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** pino-compatible subset. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Where papers come from (Hugging Face Daily Papers). */
export interface PaperSource {
  /** Papers listed on one UTC day (`YYYY-MM-DD`); `[]` on weekends. Throws PaperboyError('upstream'). */
  fetchDay(day: string, signal?: AbortSignal): Promise<Paper[]>;
}

export interface PaperStore {
  /** Insert new papers, refresh known ones (upvotes change); the earliest `listedOn` is kept. */
  upsertPapers(papers: Paper[]): Promise<{ added: number; updated: number }>;
  getPaper(id: string): Promise<Paper | undefined>;
  /** Papers whose `listedOn` lies in `[fromDay, toDay]` (inclusive, `YYYY-MM-DD`). */
  papersListedBetween(fromDay: string, toDay: string): Promise<Paper[]>;
  /** Every stored paper (index build). */
  allPapers(): Promise<Paper[]>;
  countPapers(): Promise<number>;
  /**
   * Where the stored papers are: `epoch` is fixed for the life of this store's paper set (a new,
   * restored or migrated store gets a new one), `rev` grows with every paper added or changed
   * (upvotes too), `count` papers. An index kept outside the store checks itself against it.
   */
  paperRevision(): Promise<{ epoch: string; rev: number; count: number }>;
  /**
   * Papers added or changed after `rev` (ascending by their rev, each once with its latest
   * content), and the rev they bring the caller to (the store's `rev` when read).
   */
  papersChangedSince(rev: number): Promise<{ papers: Paper[]; rev: number }>;
  /** The stored papers of `ids`, in that order; unknown ids left out. One round trip / read, not N. */
  getPapers(ids: string[]): Promise<Paper[]>;
  /**
   * Days fetched from the source, with when. arXiv announcements are recorded as `arxiv:DAY` (the
   * announcement day; `count` new papers, 0 on a weekend or holiday), so replicas reload that day too.
   */
  markDayFetched(day: string, at: string, count: number): Promise<void>;
  fetchedDays(): Promise<Map<string, { at: string; count: number }>>;
}

export interface DestinationStore {
  getDestination(key: string): Promise<Destination | undefined>;
  /** Returns the destination, creating it with `defaults` if it does not exist yet. */
  ensureDestination(ref: DestinationRef, defaults: DestinationSettings): Promise<Destination>;
  /**
   * Adds a topic unless an equal one (case-insensitive) is there; `max` caps the count. At the cap
   * it returns `added: false` without throwing: the caller tells a duplicate from the cap by
   * `topics.length >= max` and answers with its own limit message.
   */
  addTopic(key: string, topic: string, max: number): Promise<{ added: boolean; topics: string[] }>;
  removeTopic(key: string, topic: string): Promise<{ removed: boolean; topics: string[] }>;
  clearTopics(key: string): Promise<number>;
  /** Also clears a permanent `lastFailure` (and `failures`): a user changing settings re-enables delivery. */
  updateSettings(key: string, patch: Partial<Omit<DestinationSettings, 'topics'>>): Promise<Destination>;
  /** Merges `patch`; a key given with the value `undefined` is removed (e.g. `lastFailure`). */
  updateState(key: string, patch: Partial<DestinationState>): Promise<Destination>;
  listDestinations(filter?: { platform?: string; kind?: string }): Promise<Destination[]>;
}

export type ClaimStatus = 'claimed' | 'sent' | 'failed';

/**
 * The delivery ledger: claimed before sending, so a digest and a paper go to a destination at
 * most once, also across restarts.
 */
export interface DeliveryLedger {
  /** Claims the scheduled digest of `key` for local `day`; false if already claimed. */
  claimDigest(key: string, day: string, at: string): Promise<boolean>;
  /** `paperIds` count as delivered from then on, for 'failed' too (they may have gone out in part). */
  finishDigest(key: string, day: string, status: 'sent' | 'failed', paperIds: string[], at: string): Promise<void>;
  /** Releases a claim so the digest may be tried again (a transient failure before anything was sent). */
  releaseDigest(key: string, day: string): Promise<void>;
  digestStatus(key: string, day: string): Promise<ClaimStatus | undefined>;
  /** Of `paperIds`, those already delivered (or claimed) to `key`. */
  deliveredPapers(key: string, paperIds: string[]): Promise<Set<string>>;
}

/** One digest of the ledger as exported for migration between stores. */
export interface LedgerEntry {
  key: string;
  /** Local day of the digest. */
  day: string;
  status: ClaimStatus;
  claimedAt: string;
  finishedAt?: string;
  /** Papers the digest delivered (or attempted); they count as delivered to `key`. */
  paperIds: string[];
}

export type SaveResult = 'added' | 'already' | 'full';

/** A paper a person kept with a card's Save button. */
export interface SavedPaper {
  paperId: string;
  /** ISO instant it was saved. */
  savedAt: string;
}

/**
 * Each person's saved papers, keyed by their personal destination key (`slack:user:U1`). There is
 * no query across people: a list is only ever read by the key of the person asking.
 */
export interface SavedPaperStore {
  /**
   * Keeps `paperId` in the list of `userKey`: `added`, `already` there (its time is kept), or
   * refused because the list holds `max` papers (`full`); `count` is the list's size after the call.
   */
  savePaper(userKey: string, paperId: string, at: string, max: number): Promise<{ result: SaveResult; count: number }>;
  /** False when the paper was not in the list. */
  unsavePaper(userKey: string, paperId: string): Promise<boolean>;
  /** One page of the list, newest first (equal times by paper id), and the list's size. */
  savedPapers(userKey: string, page: { offset: number; limit: number }): Promise<{ items: SavedPaper[]; total: number }>;
}

/** One person's saved paper as exported for migration between stores. */
export interface SavedEntry extends SavedPaper {
  userKey: string;
}

export interface Store extends PaperStore, DestinationStore, DeliveryLedger, SavedPaperStore {
  /** Flushes pending writes and releases the file or connection. */
  close(): Promise<void>;
  /** Migration: every digest of the ledger. Optional; stores that can be migrated from implement it. */
  exportLedger?(): Promise<LedgerEntry[]>;
  /** Migration: writes entries as given (and their papers as delivered); returns how many. */
  importLedger?(entries: LedgerEntry[]): Promise<number>;
  /** Migration: writes a destination exactly as given (createdAt, topics, state), replacing any. */
  importDestination?(destination: Destination): Promise<void>;
  /** Migration: every saved paper of every person. */
  exportSaved?(): Promise<SavedEntry[]>;
  /** Migration: writes saved papers as given (replacing their times); returns how many. */
  importSaved?(entries: SavedEntry[]): Promise<number>;
}

/** Full-text index over papers; swappable (benchmarks compare implementations). */
export interface SearchIndex {
  add(papers: Paper[]): void;
  remove(ids: string[]): void;
  size(): number;
  /** Ranked hits for a parsed query; throws PaperboyError('invalid_query') on malformed text. */
  search(query: string, opts?: { limit?: number; offset?: number }): { hits: PaperHit[]; total: number };
  /** What the papers taught about their words (acronyms, compounds): digests read topics through it. */
  readonly lexicon?: Lexicon;
  /** How a topic is read (its other forms) and how many papers of the latest `days` stored listing days it matches. */
  explain?(topic: string, days?: number): TopicReading;
  /**
   * "More like this": the indexed papers closest to paper `id` (itself excluded), each hit's
   * `matched` naming what it shares with it; undefined when `id` is not indexed. Optional.
   */
  like?(id: string, opts?: { limit?: number }): { paper: Paper; hits: PaperHit[]; terms: string[] } | undefined;
}

/**
 * A chat platform (or the terminal) as the rest of the app sees it. Created by a factory in
 * src/bots/<platform>; the scheduler delivers digests through `deliver`.
 */
export interface Adapter {
  readonly platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Posts a rendered reply to a channel or a person's DM. Throws DeliveryError on failure. A digest
   * that takes several messages reports each part through `progress` and skips the parts it names.
   */
  deliver(destination: Destination, message: Reply, progress?: DeliveryProgress): Promise<void>;
  /** For /healthz and doctor. */
  health(): { connected: boolean; detail?: string };
  /**
   * Optional: looks in the destination's recent history for the digest posted with `digestId`
   * (see Reply.digest) and returns the papers it carried, or undefined when it is not there. The
   * scheduler uses it after a crash between claiming a digest and recording it sent; adapters
   * without it make such a digest count as failed (at most once wins). Throws DeliveryError; one with
   * reason DELIVERY_UNKNOWN (it cannot look here) counts the same way, without failing the destination.
   */
  findDelivered?(destination: Destination, digestId: string): Promise<FoundDigest | undefined>;
}

/** What `Adapter.findDelivered` read back: the papers of the parts it found, and which parts. */
export interface FoundDigest {
  paperIds: string[];
  /** Indexes (from 0, in posting order) of the messages found; absent: the whole digest. */
  parts?: number[];
}

/**
 * Parts of one digest (its messages, numbered from 0 in posting order: Discord splits a digest at
 * 10 embeds or 6,000 characters; a threaded digest posts several). Lets delivery record each part
 * that landed and resume after the last one, never posting a landed part again.
 */
export interface DeliveryProgress {
  /** Parts already on the platform (recorded, or read back): not posted again. */
  done: ReadonlySet<number>;
  /** Awaited before the first post, with the number of parts the message takes. */
  begin(parts: number): Promise<void>;
  /** Awaited after the platform confirmed part `part`, before the next one is posted. */
  landed(part: number): Promise<void>;
}

/** `markDayFetched` key of an arXiv announcement day. */
export const ARXIV_DAY_KEY = /^arxiv:(\d{4}-\d{2}-\d{2})$/;
