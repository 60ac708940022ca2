/**
 * A clause of several forms (expand.ts) resolved to one virtual posting list before the group is
 * evaluated: the sorted union of the papers holding any form, each with its first holding form's
 * weight as impact and that form for the explanation. From then on evaluate.ts treats it as a
 * single word (its fast paths included). The list spans every segment (docs ascend across them), so
 * its length is the clause's global document frequency.
 */
import type { Clause } from '../topics/parse.ts';
import { altsWeight, compile, fieldWeight, focus, focusDoc, idfOf, occurrences, occurrenceStarts, type Compiled, type IndexData } from './evaluate.ts';
import type { ExpandedClause } from './expand.ts';
import { IMPACT_SCALE, type TermPostings } from './postings.ts';

const EMPTY32 = new Uint32Array(1);
const EMPTY16 = new Uint16Array(0);

interface Acc {
  docs: Uint32Array;
  w: Float64Array;
  form: Uint8Array;
  n: number;
}

/**
 * Scratch arrays for resolving forms, reused from one query to the next like the match buffers
 * below (fresh arrays per query made the GC stall queries); valid until the next `evaluate`.
 */
const SCRATCH = 24;
type Typed = Uint32Array | Float64Array | Uint8Array | Uint16Array;
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
const f64 = (n: number) => take('f64', n, (k) => new Float64Array(k));
const u8 = (n: number) => take('u8', n, (k) => new Uint8Array(k));
const u16 = (n: number) => take('u16', n, (k) => new Uint16Array(k));

/**
 * The live docs one form adds to `acc` (ascending, with its weight, no idf): docs `acc` holds are
 * skipped unread, so a long form ("large language model") is only aligned where the acronym is not.
 */
function formDocs(ix: IndexData, c: Compiled, acc: Acc): { docs: Uint32Array; w: Float64Array; n: number } {
  let cap = 0;
  for (const seg of ix.segments) {
    if (!focus(ix, c, seg)) continue;
    let m = Infinity;
    for (const l of c.lists) m = Math.min(m, l.n);
    cap += m;
  }
  const docs = u32(cap);
  const w = f64(cap);
  let n = 0;
  let a = 0;
  for (const seg of ix.segments) {
    if (!focus(ix, c, seg)) continue;
    let dl = c.lists[0]!;
    for (const l of c.lists) if (l.n < dl.n) dl = l;
    for (let i = 0; i < dl.n; i++) {
      const doc = dl.docs[i]!;
      if (ix.alive[doc] === 0) continue;
      while (a < acc.n && acc.docs[a]! < doc) a++;
      if (a < acc.n && acc.docs[a] === doc) continue;
      if (c.single) {
        docs[n] = doc;
        w[n++] = dl.imp[i]! / IMPACT_SCALE;
        continue;
      }
      const k = occurrences(c, doc);
      if (k === 0) continue;
      docs[n] = doc;
      w[n++] = fieldWeight(ix, doc, occurrenceStarts(), 0, k);
    }
  }
  return { docs, w, n };
}

/**
 * A clause of several forms as one virtual single-word clause: the union of the forms' papers,
 * each weighted by the first form that holds in it (the words as written, then single words, then
 * phrases: the cheap forms first), which also explains it.
 */
export function compileForms(ix: IndexData, ec: ExpandedClause, why: Map<Clause, (doc: number) => number>): Compiled | undefined {
  const parts: { c: Compiled; f: number }[] = [];
  ec.forms.forEach((form, f) => {
    const c = compile(ix, ec.clause, form.terms);
    if (c) parts.push({ c, f });
  });
  if (parts.length === 0) return undefined;
  if (parts.length === 1) {
    const f = parts[0]!.f;
    if (f !== 0) why.set(ec.clause, () => f);
    return parts[0]!.c;
  }
  const first = parts[0]!;
  const rest = parts.slice(1).sort((x, y) => x.c.lists.length - y.c.lists.length || x.c.est - y.c.est);
  const alts = [first, ...rest];
  let est = 0;
  for (const a of alts) est += a.c.est;
  // Which form explains a doc, asked after the evaluation: each form checked afresh, in order.
  why.set(ec.clause, (doc) => {
    const probe: Compiled = { ...first.c, alts: [] };
    for (const a of alts) {
      if (!focusDoc(ix, a.c, doc)) continue;
      probe.alts = [a];
      if (altsWeight(ix, probe, doc) >= 0) return a.f;
    }
    return 0;
  });
  return { clause: ec.clause, ids: [], lists: [], cur: new Int32Array(0), author: false, single: false, idf: idfOf(ix, est), est, alts };
}

/** Resolves a clause of several forms (one that drives its group) to one virtual list. */
export function materialize(ix: IndexData, c: Compiled, why: Map<Clause, (doc: number) => number>): Compiled {
  const parts = c.alts!;
  const ec = { clause: c.clause };
  let acc: Acc = { docs: new Uint32Array(0), w: new Float64Array(0), form: new Uint8Array(0), n: 0 };
  for (const { c, f } of parts) {
    const d = formDocs(ix, c, acc);
    if (d.n === 0) continue;
    const out: Acc = { docs: u32(acc.n + d.n), w: f64(acc.n + d.n), form: u8(acc.n + d.n), n: 0 };
    let i = 0;
    let j = 0;
    while (i < acc.n || j < d.n) {
      const k = out.n++;
      if (j >= d.n || (i < acc.n && acc.docs[i]! < d.docs[j]!)) {
        out.docs[k] = acc.docs[i]!;
        out.form[k] = acc.form[i]!;
        out.w[k] = acc.w[i++]!;
      } else {
        out.docs[k] = d.docs[j]!;
        out.form[k] = f;
        out.w[k] = d.w[j++]!;
      }
    }
    acc = out;
  }
  const { docs, form, n } = acc;
  const imp = u16(n).subarray(0, n);
  for (let i = 0; i < n; i++) imp[i] = Math.min(0xffff, Math.round(acc.w[i]! * IMPACT_SCALE));
  why.set(ec.clause, (doc) => {
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
  const list: TermPostings = { docs: docs.subarray(0, n), offs: EMPTY32, pos: EMPTY16, imp, n };
  return { clause: ec.clause, ids: [], lists: [list], whole: list, cur: new Int32Array(1), author: false, single: true, idf: idfOf(ix, n), est: n };
}

