/**
 * Copies one store into another (`paperboy migrate --from file:... --to postgres://...`) and then
 * verifies that everything arrived. Safe to run again after an interruption: every step
 * overwrites or merges by key, nothing is appended twice.
 */
import type { Destination } from '../core/model/index.ts';
import { PaperboyError } from '../core/model/index.ts';
import type { LedgerEntry, SavedEntry, Store } from '../core/ports.ts';

export type MigratePhase = 'papers' | 'days' | 'destinations' | 'ledger' | 'saved' | 'verify';

export interface MigrateProgress {
  phase: MigratePhase;
  done: number;
  total: number;
}

export interface MigrateResult {
  papers: number;
  destinations: number;
  /** Digest ledger entries (their papers count as delivered in the target too). */
  ledger: number;
  /** Fetched-day records. */
  days: number;
  /** Papers people saved (all lists together). */
  saved: number;
}

const BATCH = 1000;
/** Destinations written at once; a remote store gains from overlapping round trips. */
const PARALLEL = 8;

const ledgerId = (e: Pick<LedgerEntry, 'key' | 'day'>) => `${e.key}\u0000${e.day}`;

function fail(message: string): never {
  throw new PaperboyError('store', `Migration failed: ${message}`);
}

export async function migrateStore(
  from: Store,
  to: Store,
  opts: { onProgress?: (p: MigrateProgress) => void } = {},
): Promise<MigrateResult> {
  const progress = opts.onProgress ?? (() => {});
  // Checked first: a copy without the ledger could send digests and papers a second time.
  if (!from.exportLedger) fail('the source store cannot export its delivery ledger.');
  if (!to.importLedger || !to.exportLedger) fail('the target store cannot import its delivery ledger.');
  if (!from.exportSaved) fail('the source store cannot export saved papers.');
  if (!to.importSaved || !to.exportSaved) fail('the target store cannot import saved papers.');

  const papers = await from.allPapers();
  for (let i = 0; i < papers.length; i += BATCH) {
    await to.upsertPapers(papers.slice(i, i + BATCH));
    progress({ phase: 'papers', done: Math.min(i + BATCH, papers.length), total: papers.length });
  }
  if (papers.length === 0) progress({ phase: 'papers', done: 0, total: 0 });

  const days = [...(await from.fetchedDays())];
  for (const [day, v] of days) await to.markDayFetched(day, v.at, v.count);
  progress({ phase: 'days', done: days.length, total: days.length });

  const destinations = await from.listDestinations();
  let copied = 0;
  for (let i = 0; i < destinations.length; i += PARALLEL) {
    await Promise.all(destinations.slice(i, i + PARALLEL).map((d) => copyDestination(to, d)));
    copied = Math.min(i + PARALLEL, destinations.length);
    if (copied % 1000 < PARALLEL || copied === destinations.length) progress({ phase: 'destinations', done: copied, total: destinations.length });
  }

  const ledger = await from.exportLedger();
  for (let i = 0; i < ledger.length; i += BATCH) {
    await to.importLedger(ledger.slice(i, i + BATCH));
    progress({ phase: 'ledger', done: Math.min(i + BATCH, ledger.length), total: ledger.length });
  }

  const saved = await from.exportSaved();
  for (let i = 0; i < saved.length; i += BATCH) await to.importSaved(saved.slice(i, i + BATCH));
  progress({ phase: 'saved', done: saved.length, total: saved.length });

  await verify(from, to, { papers, destinations, ledger, days: days.length, saved }, progress);
  return { papers: papers.length, destinations: destinations.length, ledger: ledger.length, days: days.length, saved: saved.length };
}

/** Exactly as stored (creation time included) when the target can; otherwise through the port. */
async function copyDestination(to: Store, d: Destination): Promise<void> {
  if (to.importDestination) return to.importDestination(d);
  const { key: _key, settings, state, createdAt: _createdAt, ...ref } = d;
  await to.ensureDestination(ref, settings);
  await to.updateState(d.key, state);
}

async function verify(
  from: Store,
  to: Store,
  src: { papers: { id: string }[]; destinations: Destination[]; ledger: LedgerEntry[]; days: number; saved: SavedEntry[] },
  progress: (p: MigrateProgress) => void,
): Promise<void> {
  const total = 6;
  const have = new Set((await to.allPapers()).map((p) => p.id));
  const missingPapers = src.papers.filter((p) => !have.has(p.id));
  if (missingPapers.length > 0) fail(`${missingPapers.length} of ${src.papers.length} papers are missing in the target (first: ${missingPapers[0]!.id}).`);
  progress({ phase: 'verify', done: 1, total });

  const targetDays = await to.fetchedDays();
  const sourceDays = await from.fetchedDays();
  for (const day of sourceDays.keys()) if (!targetDays.has(day)) fail(`the fetched day ${day} is missing in the target.`);
  progress({ phase: 'verify', done: 2, total });

  const targetDest = new Map((await to.listDestinations()).map((d) => [d.key, d]));
  for (const d of src.destinations) {
    const t = targetDest.get(d.key);
    if (!t) fail(`the destination ${d.key} is missing in the target.`);
    if (t.settings.topics.length !== d.settings.topics.length) {
      fail(`the destination ${d.key} has ${t.settings.topics.length} topics in the target, ${d.settings.topics.length} in the source.`);
    }
  }
  progress({ phase: 'verify', done: 3, total });

  const targetLedger = new Map((await to.exportLedger!()).map((e) => [ledgerId(e), e]));
  for (const e of src.ledger) {
    const t = targetLedger.get(ledgerId(e));
    if (!t || t.status !== e.status) fail(`the ${e.status} digest of ${e.key} for ${e.day} is ${t ? t.status : 'missing'} in the target.`);
  }
  progress({ phase: 'verify', done: 4, total });

  // The at-most-once promise lives in the delivered papers: check every one of them arrived.
  const delivered = new Map<string, Set<string>>();
  for (const e of src.ledger) {
    const set = delivered.get(e.key) ?? new Set<string>();
    for (const id of e.paperIds) set.add(id);
    if (set.size > 0) delivered.set(e.key, set);
  }
  const entries = [...delivered];
  for (let i = 0; i < entries.length; i += PARALLEL) {
    await Promise.all(
      entries.slice(i, i + PARALLEL).map(async ([key, ids]) => {
        const got = await to.deliveredPapers(key, [...ids]);
        if (got.size !== ids.size) fail(`${ids.size - got.size} delivered papers of ${key} are missing in the target.`);
      }),
    );
  }
  progress({ phase: 'verify', done: 5, total });

  const targetSaved = new Set((await to.exportSaved!()).map((e) => `${e.userKey}\u0000${e.paperId}`));
  const lost = src.saved.filter((e) => !targetSaved.has(`${e.userKey}\u0000${e.paperId}`));
  if (lost.length > 0) fail(`${lost.length} saved papers are missing in the target (first: ${lost[0]!.paperId} of ${lost[0]!.userKey}).`);
  progress({ phase: 'verify', done: 6, total });
}
