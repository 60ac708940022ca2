/**
 * A clause of several forms (expand.ts) resolved to one virtual posting list before the group is
 * evaluated: the sorted union of the papers holding any form, each with its first holding form's
 * weight as impact and that form for the explanation. From then on evaluate.ts treats it as a
 * single word (its fast paths included). The list spans every segment (docs ascend across them), so
 * its length is the clause's global document frequency. A costly one is kept for the next queries
 * over the same version of the index (resolved.ts).
 */
import type { Clause } from '../topics/parse.ts';
import { holdAll, run, runSet, runStarts, type RunSet } from './align.ts';
import { altsWeight, compile, compiled, fieldWeight, keptWeight, focus, focusDoc, idfOf, type Compiled, type IndexData } from './evaluate.ts';
import type { ExpandedClause } from './expand.ts';
import { phraseFields, phraseIn } from './phrases.ts';
import { IMPACT_SCALE, type TermPostings } from './postings.ts';
import type { Segment } from './segment.ts';
import { keep, MIN_WORK, recall, type Resolved } from './resolved.ts';

const EMPTY32 = new Uint32Array(1);
const EMPTY16 = new Uint16Array(0);

interface Acc {
  docs: Uint32Array;
  /** Per doc: the weight as an impact (as the index stores one word's: times IMPACT_SCALE). */
  imp: Uint16Array;
  form: Uint8Array;
  n: number;
}

type Part = { c: Compiled; f: number };

/** Postings the last `resolve` walked (what keeping its result saves). */
let walked = 0;

/**
 * Scratch arrays for resolving forms, reused from one query to the next like the match buffers
 * below (fresh arrays per query made the GC stall queries); valid until the next `evaluate`.
 */
const SCRATCH = 24;
type Typed = Uint32Array | Uint8Array | Uint16Array;
const scratch = new Map<string, { arrays: Typed[]; used: number }>();

function take<T extends Typed>(kind: string, n: number, make: (size: number) => T): T {
  let s = scratch.get(kind);
  if (!s) scratch.set(kind, (s = { arrays: [], used: 0 }));
  if (s.used >= SCRATCH) return make(n);
  const i = s.used++;
  let a = s.arrays[i] as T | undefined;
  if (!a || a.length < n) {
    a = make(Math.max(n, Math.ceil((a?.length ?? 0) * 1.5), 1024));
    s.arrays[i] = a;
  }
  return a;
}
/** Every scratch array is free again (a new evaluation starts). */
export function resetScratch(): void {
  for (const s of scratch.values()) s.used = 0;
}

const u32 = (n: number) => take('u32', n, (k) => new Uint32Array(k));
const u8 = (n: number) => take('u8', n, (k) => new Uint8Array(k));
const u16 = (n: number) => take('u16', n, (k) => new Uint16Array(k));

/** The terms of each compiled form (compileForms), to find forms over the same terms. */
const termsOfForm = new WeakMap<Compiled, string[]>();
/** Where an acronym's long form stands in a compiled form's terms (expand.ts `Form.long`). */
const longOfForm = new WeakMap<Compiled, [number, number]>();

/** Whether two forms hold the same terms (the two orders of two words, "llm learning"/"learning llm"). */
function sameTerms(a: Compiled, b: Compiled): boolean {
  const x = termsOfForm.get(a);
  const y = termsOfForm.get(b);
  if (!x || !y || x.length !== y.length || x.length < 2 || a.single || b.single) return false;
  return x.slice().sort().join(' ') === y.slice().sort().join(' ');
}

/**
 * `acc` with the live docs the forms `parts[g..h)` add to it (ascending, each with the weight of
 * the first of them holding there, no idf, and that form), merged as they come (no second pass to
 * unite them): docs `acc` holds are taken from it unread, so a
 * long form ("large language model") is only aligned where the acronym is not. Forms over the
 * same terms are checked in one pass over their rarest term (align.ts): the docs holding every
 * term are found once, then each form is aligned there in turn.
 */
function formDocs(ix: IndexData, parts: Part[], g: number, h: number, acc: Acc): Acc {
  const lead = parts[g]!.c;
  const f0 = parts[g]!.f;
  let cap = 0;
  for (const seg of ix.segments) {
    if (!focus(ix, lead, seg)) continue;
    let m = Infinity;
    for (const l of lead.lists) m = Math.min(m, l.n);
    cap += m;
  }
  const an = acc.n;
  const docs = u32(cap + an);
  const imp = u16(cap + an);
  const form = u8(cap + an);
  const alive = ix.alive;
  const { docs: ad, imp: ai, form: af } = acc;
  let a = 0;
  let n = 0;
  for (const seg of ix.segments) {
    if (!focus(ix, lead, seg)) continue;
    const rs = lead.single ? undefined : runsOf(ix, seg, parts, g, h);
    let d = 0;
    if (rs) for (let t = 1; t < rs.lists.length; t++) if (rs.lists[t]!.n < rs.lists[d]!.n) d = t;
    const dl = rs ? rs.lists[d]! : lead.lists[0]!;
    walked += dl.n;
    // Every form here is one kept phrase ("large language model" for `LLMs`): weighed from it.
    const kf = rs && rs.lists.length === 1 ? phraseFields(dl) : undefined;
    if (kf) {
      const f = parts[g]!.f;
      for (let i = 0; i < dl.n; i++) {
        const doc = dl.docs[i]!;
        if (alive[doc] === 0) continue;
        if (a < an && ad[a]! < doc) {
          const e = firstAtLeast(ad, a, an, doc);
          copy(docs, imp, form, n, acc, a, e);
          n += e - a;
          a = e;
        }
        if (a < an && ad[a] === doc) {
          docs[n] = doc;
          form[n] = af[a]!;
          imp[n++] = ai[a++]!;
          continue;
        }
        docs[n] = doc;
        form[n] = f;
        imp[n++] = asImpact(keptWeight(ix, kf.tfs, kf.lens, i));
      }
      continue;
    }
    // One word, nothing found before it, no removed paper in the segment: its postings as they are.
    if (!rs && an === 0 && ix.deadDocs?.(seg) === 0) {
      docs.set(dl.docs, n);
      imp.set(dl.imp, n);
      form.fill(f0, n, n + dl.n);
      n += dl.n;
      continue;
    }
    for (let i = 0; i < dl.n; i++) {
      const doc = dl.docs[i]!;
      if (alive[doc] === 0) continue;
      if (a < an && ad[a]! < doc) {
        const e = firstAtLeast(ad, a, an, doc);
        copy(docs, imp, form, n, acc, a, e);
        n += e - a;
        a = e;
      }
      if (a < an && ad[a] === doc) {
        docs[n] = doc;
        form[n] = af[a]!;
        imp[n++] = ai[a++]!;
        continue;
      }
      if (!rs) {
        docs[n] = doc;
        form[n] = f0;
        imp[n++] = dl.imp[i]!;
        continue;
      }
      rs.at[d] = i;
      const all = holdAll(rs, doc);
      if (all < 0) break;
      if (all === 0) continue;
      for (let m = 0; m < rs.runs.length; m++) {
        const k = run(rs, m);
        if (k === 0) continue;
        docs[n] = doc;
        form[n] = parts[g + m]!.f;
        imp[n++] = asImpact(fieldWeight(ix, doc, runStarts(), 0, k));
        break;
      }
    }
  }
  // What `acc` holds after the last doc walked.
  copy(docs, imp, form, n, acc, a, an);
  return { docs, imp, form, n: n + an - a };
}

/** The first index in `docs[from..end)` holding at least `doc` (galloping: the runs are long). */
function firstAtLeast(docs: Uint32Array, from: number, end: number, doc: number): number {
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < end && docs[hi]! < doc) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > end) hi = end;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** `acc[from..to)` into the arrays at `at`: a loop for a few, one copy each for many. */
function copy(docs: Uint32Array, imp: Uint16Array, form: Uint8Array, at: number, acc: Acc, from: number, to: number): void {
  if (to - from < 32) {
    for (let i = from, j = at; i < to; i++, j++) {
      docs[j] = acc.docs[i]!;
      imp[j] = acc.imp[i]!;
      form[j] = acc.form[i]!;
    }
    return;
  }
  docs.set(acc.docs.subarray(from, to), at);
  imp.set(acc.imp.subarray(from, to), at);
  form.set(acc.form.subarray(from, to), at);
}

/**
 * The forms `parts[g..h)` over their distinct parts (align.ts), in the segment the lead is focused
 * on: terms, and an acronym's long form as one kept phrase (phrases.ts) where every form of the
 * group holds the same one and the segment keeps it.
 */
function runsOf(ix: IndexData, seg: Segment, parts: Part[], g: number, h: number): RunSet {
  const lead = parts[g]!.c;
  const byPart = new Map<string, TermPostings>();
  termsOfForm.get(lead)!.forEach((t, j) => byPart.set(t, lead.lists[j]!));
  const forms: string[][] = [];
  for (let m = g; m < h; m++) forms.push(termsOfForm.get(parts[m]!.c)!);
  const longs = longForms(parts, g, h);
  const phrase = longs && forms[0]!.slice(longs[0]!, longs[0]! + longs[1]!);
  // Words written as a long form is ("large language models") read the phrase if it is kept.
  // Kept phrases are of the text's terms: never an author's names.
  const kept = ix.keepsPhrases === false || lead.author ? undefined : longs ? phraseIn(ix, seg, ix.text, phrase!) : h === g + 1 ? seg.phrases.get(forms[0]!.join(' ')) : undefined;
  if (!kept) return runSet(forms, (t) => byPart.get(t)!);
  const width = phrase ? phrase.length : forms[0]!.length;
  const key = `\u0001${width}`;
  byPart.set(key, kept);
  const asParts = forms.map((terms, i) => {
    const at = longs ? longs[i * 2]! : 0;
    return [...terms.slice(0, at), key, ...terms.slice(at + width)];
  });
  return runSet(asParts, (t) => byPart.get(t)!, (t) => (t === key ? width : 1));
}

/**
 * Where the same long form stands in every form of `parts[g..h)` (first term, count per form),
 * when every one holds it.
 */
function longForms(parts: Part[], g: number, h: number): number[] | undefined {
  const out: number[] = [];
  let shared: string | undefined;
  for (let m = g; m < h; m++) {
    const c = parts[m]!.c;
    const long = longOfForm.get(c);
    if (!long) return undefined;
    const key = termsOfForm.get(c)!.slice(long[0], long[0] + long[1]).join(' ');
    if (shared !== undefined && key !== shared) return undefined;
    shared = key;
    out.push(long[0], long[1]);
  }
  return out;
}

/** A weight as an impact (as the index stores one word's). */
const asImpact = (w: number) => Math.min(0xffff, Math.round(w * IMPACT_SCALE));

/**
 * A clause of several forms as one virtual single-word clause: the union of the forms' papers,
 * each weighted by the first form that holds in it (the words as written, then single words, then
 * phrases: the cheap forms first), which also explains it.
 */
export function compileForms(ix: IndexData, ec: ExpandedClause, why: Map<Clause, (doc: number) => number>): Compiled | undefined {
  const parts: Part[] = [];
  ec.forms.forEach((form, f) => {
    const c = compile(ix, ec.clause, form.terms);
    if (c) {
      termsOfForm.set(c, form.terms);
      if (form.long) longOfForm.set(c, form.long);
      parts.push({ c, f });
    }
  });
  if (parts.length === 0) return undefined;
  if (parts.length === 1) {
    const f = parts[0]!.f;
    if (f !== 0) why.set(ec.clause, () => f);
    return parts[0]!.c;
  }
  const first = parts[0]!;
  const rest = parts.slice(1).sort((x, y) => x.c.lists.length - y.c.lists.length || x.c.est - y.c.est);
  const alts = [first, ...rest.map((p) => resolvedIfRare(ix, p))];
  let est = 0;
  for (const a of alts) est += a.c.est;
  // Which form explains a doc, asked after the evaluation: each form checked afresh, in order.
  why.set(ec.clause, (doc) => {
    for (const a of alts) {
      if (!focusDoc(ix, a.c, doc)) continue;
      // A fresh probe per form: writing a field of a made Compiled widened its shape (see compiled).
      const probe = compiled(first.c.clause, [], [], false, false, first.c.idf, first.c.est, undefined, [a]);
      if (altsWeight(ix, probe, doc) >= 0) return a.f;
    }
    return 0;
  });
  return compiled(ec.clause, [], [], false, false, idfOf(ix, est), est, undefined, alts);
}

/** A form of several terms whose rarest term is in at most this many papers is resolved up front. */
const RARE = 4096;

/**
 * A form of several terms one of which is rare ("train ing", how "training" reads where a line
 * break hyphenated it) as one list of its papers: where the clause does not drive its group, every
 * candidate paper checks the forms in turn, and one seek in a short list is far cheaper than
 * aligning the phrase there. Its estimate stays the phrase's, so the clause's idf is unchanged.
 */
function resolvedIfRare(ix: IndexData, p: Part): Part {
  if (p.c.single || p.c.est > RARE) return p;
  const empty: Acc = { docs: EMPTY32, imp: EMPTY16, form: new Uint8Array(0), n: 0 };
  const d = formDocs(ix, [p], 0, 1, empty);
  const list: TermPostings = { docs: d.docs.subarray(0, d.n), offs: EMPTY32, pos: EMPTY16, imp: d.imp.subarray(0, d.n), n: d.n };
  const c = compiled(p.c.clause, [], [list], false, true, p.c.idf, p.c.est, list);
  termsOfForm.set(c, termsOfForm.get(p.c)!);
  return { c, f: p.f };
}

/** What the clause's forms are (their terms, in the order resolved), as a key for resolved.ts. */
function keyOf(c: Compiled): string {
  return `${c.clause.kind}\u0002${c.alts!.map((p) => `${p.f}\u0001${termsOfForm.get(p.c)!.join(' ')}`).join('\u0002')}`;
}

/**
 * Resolves a clause of several forms (one that drives its group) to one virtual list. A costly
 * one is kept for the next queries over the same version of the index (resolved.ts).
 */
export function materialize(ix: IndexData, c: Compiled, why: Map<Clause, (doc: number) => number>): Compiled {
  const key = ix.version === undefined ? undefined : keyOf(c);
  const kept = key ? recall(ix, ix.version!, key) : undefined;
  const r = kept ?? resolve(ix, c.alts!);
  if (key && !kept && walked >= MIN_WORK) keep(ix, ix.version!, key, r);
  const { docs, form, n } = r;
  why.set(c.clause, (doc) => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (docs[mid]! < doc) lo = mid + 1;
      else if (docs[mid]! > doc) hi = mid - 1;
      else return form[mid]!;
    }
    return 0;
  });
  const list: TermPostings = { docs: docs.subarray(0, n), offs: EMPTY32, pos: EMPTY16, imp: r.imp, n };
  return compiled(c.clause, [], [list], false, true, idfOf(ix, n), n, list);
}

/** The union of the forms' docs, with their impacts and forms (`walked` counts the work). */
function resolve(ix: IndexData, parts: Part[]): Resolved {
  let acc: Acc = { docs: EMPTY32, imp: EMPTY16, form: new Uint8Array(0), n: 0 };
  walked = 0;
  for (let g = 0; g < parts.length; ) {
    let h = g + 1;
    while (h < parts.length && sameTerms(parts[g]!.c, parts[h]!.c)) h++;
    acc = formDocs(ix, parts, g, h, acc);
    g = h;
  }
  return { docs: acc.docs, imp: acc.imp.subarray(0, acc.n), form: acc.form, n: acc.n };
}
