/**
 * The store's state in memory: maps keyed for the queries the ports need, mutated only through
 * `apply(change)`, so the JSON store can journal exactly what changed and replay it on open.
 */
import { paperSources, type Destination, type Paper } from '../../core/model/index.ts';
import type { Change, DigestRecord, StoreData } from './schema.ts';

/** What the JSON file holds: everything but the papers (those live in the paper log). */
export interface StateView {
  seq: number;
  fetchedDays: [string, { at: string; count: number }][];
  destinations: [string, Destination][];
  digests: [string, ReadonlyMap<string, DigestRecord>][];
  delivered: [string, ReadonlySet<string>][];
  saved: [string, ReadonlyMap<string, string>][];
}

export class StoreState {
  seq = 0;
  readonly papers = new Map<string, Paper>();
  /** listing day (`listedOn` and each source's) -> ids, so day-range queries do not scan every paper. */
  readonly byDay = new Map<string, Set<string>>();
  readonly fetchedDays = new Map<string, { at: string; count: number }>();
  readonly destinations = new Map<string, Destination>();
  readonly digests = new Map<string, ReadonlyMap<string, DigestRecord>>();
  readonly delivered = new Map<string, ReadonlySet<string>>();
  /** person key -> paper id -> saved at; copied on write like the ledger maps. */
  readonly saved = new Map<string, ReadonlyMap<string, string>>();
  /** Identity of the paper set; undefined until given one (an older file), see `Change` 'epoch'. */
  epoch: string | undefined;
  /** paper id -> rev (grows with every paper added or changed); `paperRev` is the highest. */
  readonly revs = new Map<string, number>();
  paperRev = 0;

  static fromData(data: StoreData): StoreState {
    const s = new StoreState();
    s.seq = data.seq;
    s.epoch = data.epoch;
    // Papers of a file written before revs get the next ones in file order: the same file, the same revs.
    for (const r of Object.values(data.revs ?? {})) s.paperRev = Math.max(s.paperRev, r);
    for (const p of Object.values(data.papers)) s.putPaper(p, data.revs?.[p.id]);
    for (const [day, v] of Object.entries(data.fetchedDays)) s.fetchedDays.set(day, v);
    for (const d of Object.values(data.destinations)) s.destinations.set(d.key, d);
    for (const [key, days] of Object.entries(data.digests)) s.digests.set(key, new Map(Object.entries(days)));
    for (const [key, ids] of Object.entries(data.delivered)) s.delivered.set(key, new Set(ids));
    for (const [key, list] of Object.entries(data.saved ?? {})) s.saved.set(key, new Map(Object.entries(list)));
    return s;
  }

  /**
   * A point-in-time view for writing a snapshot while changes go on: every value in the maps is
   * replaced, never mutated, so copying the entry lists (pointers only) is enough.
   */
  view(): StateView {
    return {
      seq: this.seq,
      fetchedDays: [...this.fetchedDays],
      destinations: [...this.destinations],
      digests: [...this.digests],
      delivered: [...this.delivered],
      saved: [...this.saved],
    };
  }

  /** Forgets the papers (once the JSON store has moved them to its paper log). */
  dropPapers(): void {
    this.papers.clear();
    this.byDay.clear();
    this.revs.clear();
  }

  /** Applies a change and returns it stamped with its sequence number. */
  apply(change: Change): Change & { s: number } {
    // A paper's rev is fixed here, so the journal replays it exactly.
    const c: Change = change.t === 'paper' && change.r === undefined ? { ...change, r: this.paperRev + 1 } : change;
    this.applyOnly(c);
    this.seq += 1;
    return { s: this.seq, ...c };
  }

  /** Replays a journalled change (its number is already known); false if the state already has it. */
  replay(seq: number, change: Change): boolean {
    if (seq <= this.seq) return false;
    this.applyOnly(change);
    this.seq = seq;
    return true;
  }

  private applyOnly(c: Change): void {
    switch (c.t) {
      case 'paper':
        this.putPaper(c.v, c.r);
        break;
      case 'epoch':
        this.epoch = c.v;
        break;
      case 'day':
        this.fetchedDays.set(c.day, c.v);
        break;
      case 'dest':
        this.destinations.set(c.v.key, c.v);
        break;
      case 'digest': {
        putInner(this.digests, c.key, c.day, c.v);
        if (c.ids && c.ids.length > 0) {
          const ids = new Set(this.delivered.get(c.key));
          for (const id of c.ids) ids.add(id);
          this.delivered.set(c.key, ids);
        }
        break;
      }
      case 'saved':
        putInner(this.saved, c.key, c.id, c.at);
        break;
    }
  }

  private putPaper(p: Paper, rev: number | undefined): void {
    const r = rev ?? this.paperRev + 1;
    this.revs.set(p.id, r);
    this.paperRev = Math.max(this.paperRev, r);
    const old = this.papers.get(p.id);
    if (old) for (const day of listingDays(old)) this.byDay.get(day)?.delete(p.id);
    // Frozen: papers are handed out without copying (100k of them for an index build).
    this.papers.set(p.id, deepFreeze(p));
    for (const day of listingDays(p)) {
      let ids = this.byDay.get(day);
      if (!ids) this.byDay.set(day, (ids = new Set()));
      ids.add(p.id);
    }
  }
}

/** The days a paper counts as listed on: the first listing and each source's first. */
function listingDays(p: Paper): Set<string> {
  return new Set([p.listedOn, ...Object.values(paperSources(p))]);
}

export function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Sets (or with `null` deletes) `inner` of the small map under `key`, copying that map on write so
 * a view taken for a snapshot never changes; an emptied map is dropped.
 */
function putInner<V>(outer: Map<string, ReadonlyMap<string, V>>, key: string, inner: string, value: V | null): void {
  const map = new Map(outer.get(key));
  if (value === null) map.delete(inner);
  else map.set(inner, value);
  if (map.size === 0) outer.delete(key);
  else outer.set(key, map);
}
