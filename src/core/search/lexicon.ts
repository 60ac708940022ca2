/**
 * What the papers teach about their own words: acronym definitions mined from abstracts as papers
 * are added (with counts, so they grow with every day), plus the index's vocabulary (how many
 * papers hold a term, which pairs of words are written hyphenated). Query expansion
 * (expand.ts) reads a topic through it.
 *
 * The definitions are plain data (`toJSON`/`fromJSON`, `add` to merge counts), so a persisted
 * index can keep them and add each day's papers incrementally.
 *
 * Rule for an acronym with several expansions (ASR: automatic speech recognition, attack success
 * rate): it reads as every expansion making at least MIN_SHARE of its definitions (spelling
 * variants of one expansion, "multi-modal"/"multimodal", count together), and an expansion reads
 * as the acronym only when it makes at least MAIN_SHARE of that acronym's definitions: `attack
 * success rate` does not read as "ASR" (mostly speech recognition), nor `speculative decoding` as
 * "SD" (also stable diffusion), while `large language models` reads as "LLM". An acronym that is
 * also a common word ("IT", "US", "ON": far more papers hold the word than define it) is never
 * expanded nor used as an expansion.
 */
import { mineDefinitions, type Mined } from './acronyms.ts';

/** An expansion must make this share of an acronym's definitions to be read as it. */
export const MIN_SHARE = 0.2;
/** An expansion reads as its acronym when it makes this share of the acronym's definitions. */
export const MAIN_SHARE = 0.8;
/** An acronym is a common word when more than COMMON_RATIO × definitions + COMMON_SLACK papers hold it. */
const COMMON_RATIO = 25;
const COMMON_SLACK = 50;
/** Term sequences kept per expansion (its spellings as written, most frequent first). */
const MAX_VARIANTS = 4;

export interface Vocabulary {
  /** How many indexed papers hold `term` (0: not in the vocabulary). */
  df(term: string): number;
  /** How often `a-b` was written hyphenated. */
  hyphenated(a: string, b: string): number;
}

export interface Expansion {
  /** Term sequences of this meaning, most frequent first. */
  variants: string[][];
  /** How the papers most often write it ("large language models"). */
  shown: string;
  /** Share of the acronym's definitions. */
  share: number;
}

interface Variant {
  terms: string[];
  n: number;
  shown: string;
  shownN: Map<string, number>;
}

/** One meaning of an acronym: its variants keyed by their joined terms. */
interface Meaning {
  n: number;
  variants: Map<string, Variant>;
}

export interface LexiconData {
  /** [short form, long form terms joined by spaces, count, long form as written]. */
  definitions: [string, string, number, string][];
}

export class Lexicon {
  /** short form -> compact long form (terms joined without spaces) -> meaning. */
  private readonly defs = new Map<string, Map<string, Meaning>>();
  private readonly totals = new Map<string, number>();
  /** compact long form -> short forms it defines. */
  private readonly byLong = new Map<string, Set<string>>();

  /**
   * Definitions learnt but not yet counted in, by short form and long form as written: a build
   * learns ~1 definition per paper, mostly the same few, and counting each in as it came was a
   * tenth of the build. Every reader counts them in first.
   */
  private pending = new Map<string, { short: string; long: string[]; shown: string; n: number }>();

  /** Grows with every definition added: results cached over a lexicon are stale when it moved. */
  version = 0;

  constructor(readonly vocab: Vocabulary) {}

  /** Mines the definitions of one paper's abstract (`n` -1: a removed paper's are taken back). */
  learn(abstract: string | undefined, n = 1): void {
    if (typeof abstract !== 'string') return;
    this.learnMined(mineDefinitions(abstract), n);
  }

  /** Learns definitions already mined (an index keeps each paper's, to take them back later). */
  learnMined(mined: readonly Mined[], n = 1): void {
    for (const d of mined) {
      this.version++;
      const key = `${d.short}\u0001${d.shown}`;
      const p = this.pending.get(key);
      if (p) p.n += n;
      else this.pending.set(key, { short: d.short, long: d.long, shown: d.shown, n });
    }
  }

  /** Counts the pending definitions in. */
  private settle(): void {
    if (this.pending.size === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    for (const p of pending.values()) if (p.n !== 0) this.count(p.short, p.long, p.shown, p.n);
  }

  add(short: string, long: string[], shown: string, n: number): void {
    this.settle();
    this.version++;
    this.count(short, long, shown, n);
  }

  private count(short: string, long: string[], shown: string, n: number): void {
    const compact = long.join('');
    let meanings = this.defs.get(short);
    if (!meanings) this.defs.set(short, (meanings = new Map()));
    let m = meanings.get(compact);
    if (!m) meanings.set(compact, (m = { n: 0, variants: new Map() }));
    m.n += n;
    const key = long.join(' ');
    let v = m.variants.get(key);
    if (!v) m.variants.set(key, (v = { terms: long, n: 0, shown, shownN: new Map() }));
    v.n += n;
    v.shownN.set(shown, (v.shownN.get(shown) ?? 0) + n);
    this.totals.set(short, (this.totals.get(short) ?? 0) + n);
    v.shown = mostFrequent(v.shownN) ?? shown;
    // A taking-back prunes; it must not list the long form under its acronym again.
    if (n < 0) return this.prune(short, compact, key, shown);
    let shorts = this.byLong.get(compact);
    if (!shorts) this.byLong.set(compact, (shorts = new Set()));
    shorts.add(short);
  }

  /** Drops what a taking-back left at zero. */
  private prune(short: string, compact: string, key: string, shown: string): void {
    const meanings = this.defs.get(short)!;
    const m = meanings.get(compact)!;
    const v = m.variants.get(key)!;
    if ((v.shownN.get(shown) ?? 0) <= 0) v.shownN.delete(shown);
    if (v.n <= 0) m.variants.delete(key);
    if (m.n <= 0) {
      meanings.delete(compact);
      this.byLong.get(compact)?.delete(short);
    }
    if ((this.totals.get(short) ?? 0) <= 0) {
      this.totals.delete(short);
      this.defs.delete(short);
    }
  }

  /** How many times `short` was defined. */
  definitions(short: string): number {
    this.settle();
    return this.totals.get(short) ?? 0;
  }

  /** Every short form defined at least once. */
  shortForms(): string[] {
    this.settle();
    return [...this.defs.keys()];
  }

  /** Whether `short` is used as an acronym rather than as a common word. */
  private acronymLike(short: string): boolean {
    const total = this.definitions(short);
    return total > 0 && this.vocab.df(short) <= COMMON_RATIO * total + COMMON_SLACK;
  }

  /** The meanings `short` reads as, most frequent first (see the rule above). */
  expansions(short: string): Expansion[] {
    this.settle();
    const meanings = this.defs.get(short);
    if (!meanings || !this.acronymLike(short)) return [];
    const total = this.definitions(short);
    const out: Expansion[] = [];
    for (const m of meanings.values()) {
      const share = m.n / total;
      // Beyond a handful of definitions, one stray definition is noise whatever its share.
      if (share < MIN_SHARE || (total >= 5 && m.n < 2)) continue;
      const variants = [...m.variants.values()].sort((a, b) => b.n - a.n).slice(0, MAX_VARIANTS);
      out.push({ variants: variants.map((v) => v.terms), shown: variants[0]!.shown, share });
    }
    return out.sort((a, b) => b.share - a.share);
  }

  /** The acronym whose main meaning (MAIN_SHARE of its definitions) is `terms`, if any. */
  acronymFor(terms: string[]): string | undefined {
    this.settle();
    const compact = terms.join('');
    const shorts = this.byLong.get(compact);
    if (!shorts) return undefined;
    for (const short of shorts) {
      const m = this.defs.get(short)?.get(compact);
      if (m && m.n >= MAIN_SHARE * this.definitions(short) && this.acronymLike(short)) return short;
    }
    return undefined;
  }

  toJSON(): LexiconData {
    this.settle();
    const definitions: LexiconData['definitions'] = [];
    for (const [short, meanings] of this.defs) {
      for (const m of meanings.values()) {
        for (const v of m.variants.values()) for (const [shown, n] of v.shownN) definitions.push([short, v.terms.join(' '), n, shown]);
      }
    }
    return { definitions };
  }

  /** Merges persisted definitions (counts add up). */
  load(data: LexiconData): void {
    for (const [short, long, n, shown] of data?.definitions ?? []) {
      if (typeof short === 'string' && typeof long === 'string' && Number.isFinite(n) && n > 0) this.add(short, long.split(' '), String(shown), n);
    }
  }
}

/**
 * The most frequent way of writing a variant; among equals the longer ("vision transformers",
 * as acronyms are mostly defined in the plural), then the first in code order: whatever order
 * the definitions came in, a build or a loaded lexicon, it reads the same.
 */
function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestN = 0;
  for (const [shown, n] of counts) {
    if (n > bestN || (n === bestN && n > 0 && (shown.length > best!.length || (shown.length === best!.length && shown < best!)))) {
      best = shown;
      bestN = n;
    }
  }
  return best;
}
