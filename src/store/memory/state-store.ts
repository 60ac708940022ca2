/**
 * The one implementation of the `Store` port's semantics, over a `StoreState`. Every mutation is
 * applied synchronously (so concurrent callers never interleave inside one and no update is lost),
 * then handed to a `Persister`; the method resolves once the persister says the change is durable.
 * The memory store persists nowhere, the JSON store journals to disk.
 */
import {
  type Destination,
  type DestinationRef,
  type DestinationSettings,
  type DestinationState,
  type Paper,
  PaperboyError,
  destinationKey,
  mergePaper,
} from '../../core/model/index.ts';
import { DAY, SETTINGS_KEYS, STATE_KEYS, cloneDestination, need, normaliseTopic, topicKey } from './helpers.ts';
import { ARXIV_DAY_KEY, type ClaimStatus, type Clock, type LedgerEntry, type SaveResult, type SavedEntry, type SavedPaper, type Store, systemClock } from '../../core/ports.ts';
import type { Change, DigestRecord } from './schema.ts';
import type { StoreState } from './state.ts';
import { memoryPapers, type PaperRevision, type PaperTable } from './paper-table.ts';

export interface Persister {
  /** Resolves once `changes` and every change before them are durable; `[]` waits for pending ones. */
  commit(changes: (Change & { s: number })[]): Promise<void>;
  close(): Promise<void>;
}

export const nullPersister: Persister = { commit: async () => {}, close: async () => {} };

export class StateStore implements Store {
  private closed = false;
  private upserts: Promise<unknown> = Promise.resolve();
  private readonly papers: PaperTable;

  constructor(
    private readonly s: StoreState,
    private readonly persister: Persister,
    private readonly clock: Clock = systemClock,
    papers?: PaperTable,
  ) {
    this.papers = papers ?? memoryPapers(s, (changes) => persister.commit(changes));
  }

  private open(): void {
    if (this.closed) throw new PaperboyError('store', 'The store is closed.');
  }

  private async commit(changes: Change[]): Promise<void> {
    await this.persister.commit(changes.map((c) => this.s.apply(c)));
  }

  private dest(key: string): Destination {
    const d = this.s.destinations.get(key);
    if (!d) throw new PaperboyError('not_found', `No destination ${key}.`);
    return d;
  }

  /** A user changing settings re-enables a destination stopped by a permanent failure. */
  private withSettings(d: Destination, settings: DestinationSettings): Destination {
    const state = d.state.lastFailure?.permanent ? { ...d.state, failures: 0, lastFailure: undefined } : d.state;
    if (state !== d.state) delete state.lastFailure;
    return { ...d, settings, state };
  }

  // --- papers ---

  async upsertPapers(papers: Paper[]): Promise<{ added: number; updated: number }> {
    this.open();
    need(Array.isArray(papers), 'upsertPapers needs an array of papers.');
    for (const p of papers) {
      need(typeof p?.id === 'string' && p.id.length > 0, 'Every paper needs an id.');
      need(typeof p.listedOn === 'string' && DAY.test(p.listedOn), `Paper ${p.id} has no valid listedOn day.`);
    }
    const batch = papers.map((p) => structuredClone(p));
    // One upsert at a time: each merges with what the one before wrote (the table may read from disk).
    const run = this.upserts.then(async () => {
      const stored = new Map((await this.papers.getMany([...new Set(batch.map((p) => p.id))])).map((p) => [p.id, p]));
      let added = 0;
      let updated = 0;
      // One by one, so a paper listed twice in one batch merges with its first copy.
      const next = new Map<string, Paper>();
      for (const p of batch) {
        const old = next.get(p.id) ?? stored.get(p.id);
        if (!old) {
          added++;
          next.set(p.id, p);
          continue;
        }
        const merged = mergePaper(old, p);
        if (JSON.stringify(merged) === JSON.stringify(old)) continue;
        updated++;
        next.set(p.id, merged);
      }
      await this.papers.write([...next.values()]);
      return { added, updated };
    });
    this.upserts = run.catch(() => {});
    return run;
  }

  async getPaper(id: string): Promise<Paper | undefined> {
    this.open();
    return this.papers.get(id);
  }

  async getPapers(ids: string[]): Promise<Paper[]> {
    this.open();
    need(Array.isArray(ids), 'getPapers needs an array of ids.');
    return this.papers.getMany(ids);
  }

  async papersListedBetween(fromDay: string, toDay: string): Promise<Paper[]> {
    this.open();
    need(DAY.test(fromDay) && DAY.test(toDay), `Days must be YYYY-MM-DD (got ${fromDay}, ${toDay}).`);
    return this.papers.listedBetween(fromDay, toDay);
  }

  async allPapers(): Promise<Paper[]> {
    this.open();
    return this.papers.all();
  }

  async countPapers(): Promise<number> {
    this.open();
    return this.papers.revision().count;
  }

  async paperRevision(): Promise<PaperRevision> {
    this.open();
    return this.papers.revision();
  }

  async papersChangedSince(rev: number): Promise<{ papers: Paper[]; rev: number }> {
    this.open();
    need(Number.isFinite(rev), `papersChangedSince needs a rev number (got ${String(rev)}).`);
    return this.papers.changedSince(rev);
  }

  async markDayFetched(day: string, at: string, count: number): Promise<void> {
    this.open();
    need(DAY.test(day) || ARXIV_DAY_KEY.test(day), `Day must be YYYY-MM-DD or arxiv:YYYY-MM-DD (got ${day}).`);
    await this.commit([{ t: 'day', day, v: { at, count } }]);
  }

  async fetchedDays(): Promise<Map<string, { at: string; count: number }>> {
    this.open();
    return new Map([...this.s.fetchedDays].map(([d, v]) => [d, { ...v }]));
  }

  // --- destinations ---

  async getDestination(key: string): Promise<Destination | undefined> {
    this.open();
    const d = this.s.destinations.get(key);
    return d && cloneDestination(d);
  }

  async ensureDestination(ref: DestinationRef, defaults: DestinationSettings): Promise<Destination> {
    this.open();
    need(typeof ref?.id === 'string' && ref.id.length > 0, 'A destination needs an id.');
    need(['discord', 'slack', 'shell'].includes(ref.platform), `Unknown platform ${String(ref.platform)}.`);
    need(ref.kind === 'channel' || ref.kind === 'user', `Unknown destination kind ${String(ref.kind)}.`);
    const key = destinationKey(ref);
    const existing = this.s.destinations.get(key);
    if (existing) {
      await this.persister.commit([]); // its creation may still be on its way to disk
      return cloneDestination(existing);
    }
    const topics: string[] = [];
    for (const t of defaults.topics ?? []) {
      const n = normaliseTopic(t);
      if (n && !topics.some((x) => x.toLowerCase() === n.toLowerCase())) topics.push(n);
    }
    const d: Destination = {
      platform: ref.platform,
      kind: ref.kind,
      id: ref.id,
      ...(ref.workspace !== undefined ? { workspace: ref.workspace } : {}),
      key,
      settings: { ...defaults, topics },
      state: {},
      createdAt: this.clock.now().toISOString(),
    };
    await this.commit([{ t: 'dest', v: d }]);
    return cloneDestination(d);
  }

  /** A duplicate or a new topic at the cap returns `added: false` (see the port's doc). */
  async addTopic(key: string, topic: string, max: number): Promise<{ added: boolean; topics: string[] }> {
    this.open();
    const d = this.dest(key);
    const n = typeof topic === 'string' ? normaliseTopic(topic) : '';
    need(n.length > 0, 'A topic cannot be empty.');
    if (d.settings.topics.some((t) => topicKey(t) === n.toLowerCase())) {
      await this.persister.commit([]);
      return { added: false, topics: [...d.settings.topics] };
    }
    if (d.settings.topics.length >= max) return { added: false, topics: [...d.settings.topics] };
    const next = this.withSettings(d, { ...d.settings, topics: [...d.settings.topics, n] });
    await this.commit([{ t: 'dest', v: next }]);
    return { added: true, topics: [...next.settings.topics] };
  }

  async removeTopic(key: string, topic: string): Promise<{ removed: boolean; topics: string[] }> {
    this.open();
    const d = this.dest(key);
    const k = typeof topic === 'string' ? topicKey(topic) : '';
    const topics = d.settings.topics.filter((t) => topicKey(t) !== k);
    if (topics.length === d.settings.topics.length) {
      await this.persister.commit([]);
      return { removed: false, topics };
    }
    await this.commit([{ t: 'dest', v: this.withSettings(d, { ...d.settings, topics }) }]);
    return { removed: true, topics: [...topics] };
  }

  async clearTopics(key: string): Promise<number> {
    this.open();
    const d = this.dest(key);
    const n = d.settings.topics.length;
    if (n === 0) {
      await this.persister.commit([]);
      return 0;
    }
    await this.commit([{ t: 'dest', v: this.withSettings(d, { ...d.settings, topics: [] }) }]);
    return n;
  }

  /** `topics` and unknown keys in `patch` are ignored; clears a permanent failure (see {@link DestinationStore}). */
  async updateSettings(key: string, patch: Partial<Omit<DestinationSettings, 'topics'>>): Promise<Destination> {
    this.open();
    const d = this.dest(key);
    const settings = { ...d.settings };
    for (const k of SETTINGS_KEYS) {
      const v = patch?.[k];
      if (v !== undefined) (settings as Record<string, unknown>)[k] = v;
    }
    const next = this.withSettings(d, settings);
    await this.commit([{ t: 'dest', v: next }]);
    return cloneDestination(next);
  }

  /** A key present in `patch` with the value `undefined` is cleared. */
  async updateState(key: string, patch: Partial<DestinationState>): Promise<Destination> {
    this.open();
    const d = this.dest(key);
    const state: Record<string, unknown> = { ...d.state };
    for (const k of STATE_KEYS) {
      if (!patch || !(k in patch)) continue;
      const v = patch[k];
      if (v === undefined) delete state[k];
      else state[k] = k === 'lastFailure' ? { ...(v as object) } : v;
    }
    const next = { ...d, state: state as DestinationState };
    await this.commit([{ t: 'dest', v: next }]);
    return cloneDestination(next);
  }

  async listDestinations(filter?: { platform?: string; kind?: string }): Promise<Destination[]> {
    this.open();
    const out: Destination[] = [];
    for (const d of this.s.destinations.values()) {
      if (filter?.platform !== undefined && d.platform !== filter.platform) continue;
      if (filter?.kind !== undefined && d.kind !== filter.kind) continue;
      out.push(cloneDestination(d));
    }
    return out;
  }

  // --- delivery ledger ---

  async claimDigest(key: string, day: string, at: string): Promise<boolean> {
    this.open();
    need(DAY.test(day), `Day must be YYYY-MM-DD (got ${day}).`);
    // Check and set happen in one synchronous step: of concurrent claimers exactly one wins.
    if (this.s.digests.get(key)?.has(day)) {
      await this.persister.commit([]);
      return false;
    }
    await this.commit([{ t: 'digest', key, day, v: { status: 'claimed', claimedAt: at } }]);
    return true;
  }

  /** `paperIds` count as delivered from then on, also on 'failed' (they may have reached the channel in part). */
  async finishDigest(key: string, day: string, status: 'sent' | 'failed', paperIds: string[], at: string): Promise<void> {
    this.open();
    need(DAY.test(day), `Day must be YYYY-MM-DD (got ${day}).`);
    need(status === 'sent' || status === 'failed', `Unknown digest status ${String(status)}.`);
    const old = this.s.digests.get(key)?.get(day);
    need(Array.isArray(paperIds), 'finishDigest needs an array of paper ids.');
    const ids = [...new Set(paperIds)];
    await this.commit([{ t: 'digest', key, day, v: { status, claimedAt: old?.claimedAt ?? at, finishedAt: at, paperIds: ids }, ids }]);
  }

  /** Releases a 'claimed' or 'failed' digest; a 'sent' one stays, so it is never sent twice. */
  async releaseDigest(key: string, day: string): Promise<void> {
    this.open();
    const rec = this.s.digests.get(key)?.get(day);
    if (!rec || rec.status === 'sent') {
      await this.persister.commit([]);
      return;
    }
    await this.commit([{ t: 'digest', key, day, v: null }]);
  }

  async digestStatus(key: string, day: string): Promise<ClaimStatus | undefined> {
    this.open();
    return this.s.digests.get(key)?.get(day)?.status;
  }

  async deliveredPapers(key: string, paperIds: string[]): Promise<Set<string>> {
    this.open();
    const have = this.s.delivered.get(key);
    return new Set(have ? paperIds.filter((id) => have.has(id)) : []);
  }

  // --- saved papers ---

  async savePaper(userKey: string, paperId: string, at: string, max: number): Promise<{ result: SaveResult; count: number }> {
    this.open();
    need(typeof userKey === 'string' && userKey.length > 0 && typeof paperId === 'string' && paperId.length > 0, 'savePaper needs a person and a paper id.');
    const list = this.s.saved.get(userKey);
    const count = list?.size ?? 0;
    if (list?.has(paperId) || count >= max) {
      await this.persister.commit([]);
      return { result: list?.has(paperId) ? 'already' : 'full', count };
    }
    await this.commit([{ t: 'saved', key: userKey, id: paperId, at }]);
    return { result: 'added', count: count + 1 };
  }

  async unsavePaper(userKey: string, paperId: string): Promise<boolean> {
    this.open();
    if (!this.s.saved.get(userKey)?.has(paperId)) {
      await this.persister.commit([]);
      return false;
    }
    await this.commit([{ t: 'saved', key: userKey, id: paperId, at: null }]);
    return true;
  }

  async savedPapers(userKey: string, page: { offset: number; limit: number }): Promise<{ items: SavedPaper[]; total: number }> {
    this.open();
    const all = [...(this.s.saved.get(userKey) ?? [])].map(([paperId, savedAt]) => ({ paperId, savedAt }));
    all.sort((a, b) => (a.savedAt === b.savedAt ? (a.paperId < b.paperId ? -1 : 1) : a.savedAt < b.savedAt ? 1 : -1));
    const offset = Math.max(0, Math.trunc(page?.offset ?? 0));
    return { items: all.slice(offset, offset + Math.max(0, Math.trunc(page?.limit ?? 0))), total: all.length };
  }

  // --- migration (optional part of the port) ---

  async exportSaved(): Promise<SavedEntry[]> {
    this.open();
    return [...this.s.saved].flatMap(([userKey, list]) => [...list].map(([paperId, savedAt]) => ({ userKey, paperId, savedAt })));
  }

  async importSaved(entries: SavedEntry[]): Promise<number> {
    this.open();
    need(Array.isArray(entries), 'importSaved needs an array of entries.');
    const changes: Change[] = entries.map((e) => {
      need(typeof e?.userKey === 'string' && typeof e.paperId === 'string' && typeof e.savedAt === 'string', `Bad saved entry ${JSON.stringify(e)?.slice(0, 200)}.`);
      return { t: 'saved', key: e.userKey, id: e.paperId, at: e.savedAt };
    });
    await this.commit(changes);
    return changes.length;
  }

  async exportLedger(): Promise<LedgerEntry[]> {
    this.open();
    const out: LedgerEntry[] = [];
    for (const [key, days] of this.s.digests) {
      for (const [day, r] of days) {
        const e: LedgerEntry = { key, day, status: r.status, claimedAt: r.claimedAt, paperIds: [...(r.paperIds ?? [])] };
        if (r.finishedAt !== undefined) e.finishedAt = r.finishedAt;
        out.push(e);
      }
    }
    return out;
  }

  async importLedger(entries: LedgerEntry[]): Promise<number> {
    this.open();
    need(Array.isArray(entries), 'importLedger needs an array of entries.');
    const changes: Change[] = entries.map((e) => {
      need(typeof e?.key === 'string' && DAY.test(e.day), `Bad ledger entry ${JSON.stringify(e)?.slice(0, 200)}.`);
      const v: DigestRecord = { status: e.status, claimedAt: e.claimedAt, paperIds: [...e.paperIds] };
      if (e.finishedAt !== undefined) v.finishedAt = e.finishedAt;
      return { t: 'digest', key: e.key, day: e.day, v, ids: [...e.paperIds] };
    });
    await this.commit(changes);
    return changes.length;
  }

  async importDestination(destination: Destination): Promise<void> {
    this.open();
    need(typeof destination?.key === 'string' && destination.key.length > 0, 'importDestination needs a destination with a key.');
    await this.commit([{ t: 'dest', v: cloneDestination(destination) }]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.persister.close();
  }
}
