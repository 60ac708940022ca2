/**
 * Where a run of terms stands in one paper, for resolving a clause's forms (resolve-forms.ts):
 * the forms of one clause are checked paper by paper over their shared terms, so the papers
 * holding every term are found once and each form is only aligned there. Written for that loop:
 * postings and positions are read straight from the lists, with no per-call state to load (the
 * general phrase check in evaluate.ts cost about three times as much per paper here).
 */
import { seek, type TermPostings } from './postings.ts';

/** Positions where the last `run` started (valid until the next call). */
let starts = new Int32Array(64);

export function runStarts(): Int32Array {
  return starts;
}

/**
 * The distinct parts of a set of forms and, per form, which of them each of its parts is. A part
 * is a term or a kept phrase (phrases.ts: "large language model" as one list of where it starts),
 * so a part spans `width` positions.
 */
export interface RunSet {
  lists: TermPostings[];
  /** Per list, the posting of the doc being checked (after `holdAll`). */
  at: Int32Array;
  /** Per form: the list index of each of its parts, in order. */
  runs: Int32Array[];
  /** Per form: how many positions after the form's start each of its parts stands. */
  shifts: Int32Array[];
}

export function runSet(forms: string[][], list: (part: string) => TermPostings, width: (part: string) => number = () => 1): RunSet {
  const parts: string[] = [];
  for (const f of forms) for (const t of f) if (!parts.includes(t)) parts.push(t);
  const shifts = forms.map((f) => {
    const out = new Int32Array(f.length);
    for (let j = 1; j < f.length; j++) out[j] = out[j - 1]! + width(f[j - 1]!);
    return out;
  });
  return { lists: parts.map(list), at: new Int32Array(parts.length), runs: forms.map((f) => Int32Array.from(f, (t) => parts.indexOf(t))), shifts };
}

/**
 * Whether every list holds `doc`, the lists' cursors (`at`) only moving forward; -1 when a list
 * has no doc at or after `doc` (no later doc can hold them all either).
 */
export function holdAll(s: RunSet, doc: number): number {
  const at = s.at;
  for (let t = 0; t < s.lists.length; t++) {
    const l = s.lists[t]!;
    let i = at[t]!;
    if (i < l.n && l.docs[i]! < doc) at[t] = i = seek(l, i, doc);
    if (i >= l.n) return -1;
    if (l.docs[i] !== doc) return 0;
  }
  return 1;
}

/**
 * Where form `f` of `s` starts in the doc `holdAll` last accepted (its parts one after another),
 * into `runStarts()`; returns how many.
 */
export function run(s: RunSet, f: number): number {
  const r = s.runs[f]!;
  const shift = s.shifts[f]!;
  const k = r.length;
  const l0 = s.lists[r[0]!]!;
  const i0 = s.at[r[0]!]!;
  const a = l0.offs[i0]!;
  const e = l0.offs[i0 + 1]!;
  const pos0 = l0.pos;
  if (starts.length < e - a) starts = new Int32Array(e - a);
  let n = 0;
  if (k === 1) {
    for (let p = a; p < e; p++) starts[n++] = pos0[p]!;
    return n;
  }
  if (k === 2) {
    // Two terms: one merge of their positions.
    const l1 = s.lists[r[1]!]!;
    const i1 = s.at[r[1]!]!;
    const pos1 = l1.pos;
    let q = l1.offs[i1]!;
    const qe = l1.offs[i1 + 1]!;
    const by = shift[1]!;
    for (let p = a; p < e && q < qe; p++) {
      const want = pos0[p]! + by;
      while (q < qe && pos1[q]! < want) q++;
      if (q < qe && pos1[q] === want) starts[n++] = want - by;
    }
    return n;
  }
  outer: for (let p = a; p < e; p++) {
    const p0 = pos0[p]!;
    for (let j = 1; j < k; j++) {
      const l = s.lists[r[j]!]!;
      const i = s.at[r[j]!]!;
      const want = p0 + shift[j]!;
      // Positions per paper are few: a scan from the posting's start is cheaper than pointers.
      let q = l.offs[i]!;
      const qe = l.offs[i + 1]!;
      while (q < qe && l.pos[q]! < want) q++;
      if (q >= qe) break outer;
      if (l.pos[q] !== want) continue outer;
    }
    starts[n++] = p0;
  }
  return n;
}
