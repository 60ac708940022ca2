/**
 * Topic and query syntax:
 *
 *   words            plain words name one term: they stand together (see below)
 *   +word, a AND b   a word that may be anywhere in the paper (the old "all words" reading)
 *   "exact phrase"   the words in this order, next to each other, within one field
 *   -word, -"phrase" excluded: a paper holding it never matches
 *   a | b            alternatives
 *   author:Name, author:"First Last"   a listed author's name holds these words in order
 *   cat:cs.CL        arXiv categories or archives (see categories.ts): several are alternatives,
 *                    and they limit the whole topic
 *
 * Precedence: `|` separates AND-groups, so `vision transformers | mamba` means
 * (vision AND transformers) OR mamba, as in GitHub's search syntax (AND binds tighter than OR).
 * Exclusions apply to the whole query whichever group they are written in: `-video` means
 * "never video papers", not "video is fine in the other alternative".
 * A word that splits into several tokens (`GPT-4`, `vision-language`) is matched as a phrase.
 *
 * A run of plain words (`reward models`, `large language models`) is one `term` clause: the words
 * must stand next to each other within one field, in the order written (two words also in the
 * reverse order: `diffusion video` finds "video diffusion"), never scattered over an abstract.
 * The search index reads a term clause through the corpus's own knowledge (acronyms, compounds,
 * spellings: see src/core/search/expand.ts); quoted phrases and authors are read literally.
 */
import { PaperboyError } from '../model/errors.ts';
import { readCategory } from './categories.ts';
import { rawTokens, terms } from './normalise.ts';

export interface Clause {
  kind: 'text' | 'author';
  /** How the part reads in the query, for "matched: ..." lines. */
  text: string;
  /** Terms that must appear consecutively (one term for a plain word). */
  terms: string[];
  /**
   * Plain words (a `term` clause, read through acronyms, compounds and spellings): the terms of
   * each written word. Absent for quoted phrases and authors, which are read literally.
   */
  words?: string[][];
}

export interface QueryGroup {
  /** All must match. */
  clauses: Clause[];
}

export interface ParsedQuery {
  /** The query with whitespace normalised. */
  source: string;
  /** At least one; a paper matches if any group matches. */
  groups: QueryGroup[];
  /** A paper matching any of these never matches. */
  exclude: Clause[];
  /**
   * `cat:` categories (taxonomy spelling, sorted): with them the query matches papers announced in
   * any of them, from either source; without, Hugging Face Daily Papers only. `groups` is empty
   * when the query is categories alone.
   */
  categories?: string[];
}

export const MAX_QUERY_LENGTH = 200;
export const MAX_CLAUSES = 24;

const EXAMPLE = 'e.g. transformers "diffusion model" -video | author:"Yann LeCun"';

function invalid(message: string): never {
  throw new PaperboyError('invalid_query', message, `Write a query like: ${EXAMPLE}`);
}

/** Control and format characters (RTL marks, zero-width joiners, NULs) become spaces. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u2028\u2029]/gu;
const QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]/g;

/** Normalised form of a topic as typed: NFKC, quotes unified, invisible characters removed. */
export function normaliseQueryText(text: string): string {
  return String(text ?? '')
    .normalize('NFKC')
    .replace(INVISIBLE, ' ')
    .replace(QUOTES, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Parses a topic or query; throws PaperboyError('invalid_query') saying what is wrong. */
export function parseQuery(input: string, opts: { maxLength?: number } = {}): ParsedQuery {
  if (typeof input !== 'string') invalid('The query must be text.');
  const maxLength = opts.maxLength ?? MAX_QUERY_LENGTH;
  const source = normaliseQueryText(input);
  if (!source) invalid('The query is empty: type at least one word to look for.');
  if (source.length > maxLength) {
    invalid(`The query is too long (${source.length} characters, at most ${maxLength}): keep the few words that matter.`);
  }
  if ((source.match(/"/g)?.length ?? 0) % 2 === 1) {
    invalid('A quote is not closed: put phrases between two double quotes, like "diffusion model".');
  }

  const groups: QueryGroup[] = [{ clauses: [] }];
  const exclude: Clause[] = [];
  const categories = new Set<string>();
  let sawBar = false;
  let count = 0;
  let i = 0;
  /** The run of plain words being read: it becomes one term clause when something else comes. */
  let run: { text: string[]; words: string[][] } = { text: [], words: [] };
  const push = (clause: Clause, negated: boolean) => {
    if (++count > MAX_CLAUSES) invalid(`The query has too many parts (at most ${MAX_CLAUSES}): keep the words that matter.`);
    const target = negated ? exclude : groups[groups.length - 1]!.clauses;
    if (!target.some((k) => clauseKey(k) === clauseKey(clause))) target.push(clause);
  };
  const endRun = () => {
    if (run.words.length === 0) return;
    const terms = run.words.flat();
    const text = run.words.length > 1 || terms.length > 1 ? `"${run.text.join(' ')}"` : run.text[0]!;
    count += run.words.length - 1; // every written word counts towards the limit
    push({ kind: 'text', text: run.words.length > 1 ? run.text.join(' ') : text, terms, words: run.words }, false);
    run = { text: [], words: [] };
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '|') {
      endRun();
      if (groups[groups.length - 1]!.clauses.length === 0) danglingBar();
      groups.push({ clauses: [] });
      sawBar = true;
      i++;
      continue;
    }
    if (source.startsWith('AND', i) && (i + 3 === source.length || source[i + 3] === ' ') && (i === 0 || source[i - 1] === ' ')) {
      endRun(); // `reward AND models`: each side on its own, anywhere in the paper
      i += 3;
      continue;
    }
    let negated = false;
    let anywhere = false;
    if (c === '+' && i + 1 < source.length && !' |+-"'.includes(source[i + 1]!)) {
      anywhere = true;
      i++;
    }
    if (c === '-' && i + 1 < source.length && !' |-'.includes(source[i + 1]!)) {
      negated = true;
      i++;
    }
    const cat = readCategory(source, i, negated);
    if (cat) {
      categories.add(cat.category);
      i = cat.end;
      continue;
    }
    let kind: Clause['kind'] = 'text';
    if (source.slice(i, i + 7).toLowerCase() === 'author:') {
      kind = 'author';
      i += 7;
    }
    let body: string;
    let quoted = false;
    if (source[i] === '"') {
      const close = source.indexOf('"', i + 1);
      body = source.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else {
      let j = i;
      while (j < source.length && !' |"'.includes(source[j]!)) j++;
      body = source.slice(i, j);
      i = j;
    }
    if (kind === 'author' && !body.trim()) invalid('author: needs a name, like author:Hinton or author:"Yann LeCun".');
    const toks = kind === 'author' ? rawTokens(body) : terms(body);
    if (toks.length === 0) {
      if (kind === 'author') invalid(`The author name "${body}" has no letters or digits to look for.`);
      continue; // punctuation or emoji alone: nothing to search, skip it
    }
    if (kind === 'text' && !quoted && !negated && !anywhere) {
      if (run.words.some((w) => w.join(' ') === toks.join(' '))) continue; // "flow flows": once is enough
      run.text.push(body);
      run.words.push(toks);
      continue;
    }
    endRun();
    const shown = quoted || toks.length > 1 ? `"${body.trim()}"` : body;
    const clause: Clause = { kind, text: kind === 'author' ? `author:${shown}` : anywhere ? `+${body}` : shown, terms: toks };
    // An excluded or +word keeps its forms (`-LLM` also excludes "large language models").
    if (kind === 'text' && !quoted) clause.words = [toks];
    push(clause, negated);
  }
  endRun();

  const cats = categories.size ? { categories: [...categories].sort() } : {};
  if (cats.categories && groups.every((g) => g.clauses.length === 0)) return { source, groups: [], exclude, ...cats };
  if (cats.categories && groups.some((g) => g.clauses.length === 0)) {
    invalid('cat: limits the whole topic, so it cannot stand alone on one side of |: write agents | robotics cat:cs.RO.');
  }
  if (groups.every((g) => g.clauses.length === 0)) {
    if (exclude.length > 0) {
      invalid('The query only excludes words: add at least one word to look for, like diffusion -video.');
    }
    invalid('The query has no letters or digits to look for: type a word, like transformers.');
  }
  if (sawBar && groups.some((g) => g.clauses.length === 0)) danglingBar();
  return { source, groups, exclude, ...cats };
}

function danglingBar(): never {
  invalid('Each side of | needs a word to look for, like diffusion | "flow matching".');
}

/**
 * Identity of a clause: two plain words match in either order, so their key is sorted; quoted
 * phrases (no `words`) stay apart from the same plain words.
 */
export function clauseKey(c: Clause): string {
  if (!c.words) return `${c.kind}:${c.terms.join(' ')}`;
  const parts = c.words.map((w) => w.join('-'));
  if (parts.length === 2) parts.sort();
  return `${c.kind}~${parts.join(' ')}`;
}

/** Canonical text of a parsed query: equal for queries that match the same papers. */
export function canonicalQuery(q: ParsedQuery): string {
  const clause = clauseKey;
  const groups = q.groups.map((g) => g.clauses.map(clause).sort().join(' ')).sort();
  const cats = q.categories?.length ? ` cat:${q.categories.join(',')}` : '';
  return `${groups.join(' | ')} -${q.exclude.map(clause).sort().join(' -')}${cats}`;
}
