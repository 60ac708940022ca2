/**
 * Work shared by the digests of one delivery cycle. Destinations due together mostly cover the
 * same listing window (since their previous run, until now), so per window the papers are loaded
 * once, indexed once, and each distinct topic is evaluated once, however many destinations follow
 * it. The ledger filter and ranking stay per destination (see build.ts).
 *
 * A cache belongs to one cycle: papers stored after it was made are not seen, so make a new one
 * per cycle (the fan-out does).
 */
import { LRUCache } from 'lru-cache';
import type { Paper, PaperHit } from '../model/paper.ts';
import { localDay } from '../schedule/index.ts';
import { PaperIndex } from '../search/index.ts';
import type { Lexicon } from '../search/lexicon.ts';
import { canonicalQuery, parseQuery, type ParsedQuery } from '../topics/index.ts';

/** A digest's listing window, as buildDigest works it out for a destination. */
export interface DigestWindow {
  since: Date;
  until: Date;
  /** The day of the previous run, reopened (see `listedWithin`). */
  reopenDay?: string | undefined;
}

/** A topic that broke the matcher: skipped for every destination that follows it. */
interface Broken {
  error: string;
}
type Outcome = PaperHit[] | Broken;

export interface DigestCacheStats {
  /** Windows whose papers were loaded. */
  windows: number;
  /** Indexes built (at most one per window). */
  indexes: number;
  /** Queries run against an index (at most one per distinct topic per window). */
  evaluations: number;
}

export function windowKey(w: DigestWindow): string {
  return `${w.since.toISOString()}|${w.until.toISOString()}|${w.reopenDay ?? ''}`;
}

/** One window's papers, their index (built on first use) and every topic's hits over them. */
export class WindowMatcher {
  private index: PaperIndex | undefined;
  private readonly byTopic = new Map<string, Outcome>();
  private readonly byCanonical = new Map<string, Outcome>();

  constructor(
    readonly papers: Paper[],
    private readonly stats: DigestCacheStats,
  ) {}

  /**
   * Hits of each of `topics`, as `matchTopics` gives them: a topic that does not parse has none; one
   * that breaks the matcher is left out and reported through `onBroken`. The lists are shared
   * between destinations: read them, never change them.
   */
  match(topics: readonly string[], onBroken: (topic: string, error: string) => void, lexicon?: Lexicon): Map<string, PaperHit[]> {
    const out = new Map<string, PaperHit[]>();
    for (const topic of topics) {
      if (out.has(topic)) continue;
      let r = this.byTopic.get(topic);
      if (!r) {
        r = this.evaluate(topic, lexicon);
        this.byTopic.set(topic, r);
      }
      if (Array.isArray(r)) out.set(topic, r);
      else onBroken(topic, r.error);
    }
    return out;
  }

  /** `lexicon`: the store's (see matchTopics); the first caller's is the one the window's index keeps. */
  private evaluate(topic: string, lexicon: Lexicon | undefined): Outcome {
    let q: ParsedQuery;
    try {
      q = parseQuery(topic);
    } catch {
      return [];
    }
    // Spellings of one query ("Diffusion", "diffusion ") share one evaluation.
    const key = canonicalQuery(q);
    let r = this.byCanonical.get(key);
    if (r) return r;
    try {
      if (!this.index) {
        this.index = new PaperIndex(this.papers, lexicon ? { lexicon } : {});
        this.stats.indexes++;
      }
      this.stats.evaluations++;
      r = this.index.searchParsed(q, { limit: Infinity }).hits;
    } catch (err) {
      r = { error: String(err) };
    }
    this.byCanonical.set(key, r);
    return r;
  }
}

export class DigestCache {
  private readonly windows: LRUCache<string, Promise<WindowMatcher>>;
  /** Local days by instant and zone; the least recently used goes first. */
  private readonly days = new LRUCache<string, string>({ max: 10_000 });
  private readonly counts: DigestCacheStats = { windows: 0, indexes: 0, evaluations: 0 };

  /** @param maxWindows windows kept at once; the least recently used goes first (memory stays bounded). */
  constructor(maxWindows = 64) {
    this.windows = new LRUCache({ max: Math.max(1, maxWindows) });
  }

  /**
   * The matcher of `w`, loading its papers with `load` the first time. Concurrent callers share
   * one load; a load that fails is not kept, so the next caller tries again.
   */
  window(w: DigestWindow, load: () => Promise<Paper[]>): Promise<WindowMatcher> {
    const key = windowKey(w);
    const known = this.windows.get(key);
    if (known) return known;
    const entry = load().then((papers) => {
      this.counts.windows++;
      return new WindowMatcher(papers, this.counts);
    });
    entry.catch(() => {
      if (this.windows.peek(key) === entry) this.windows.delete(key);
    });
    this.windows.set(key, entry);
    return entry;
  }

  /** `localDay(now, timezone)`, worked out once per zone: time-zone formatting costs more than the rest of a cached digest. */
  localDay(now: Date, timezone: string): string {
    const key = `${now.getTime()}|${timezone}`;
    let day = this.days.get(key);
    if (day === undefined) {
      day = localDay(now, timezone);
      this.days.set(key, day);
    }
    return day;
  }

  stats(): DigestCacheStats {
    return { ...this.counts };
  }
}
