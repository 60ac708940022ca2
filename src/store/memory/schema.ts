/** The persisted shape of a store (JSON snapshot) and the change records that mutate it. */
import type { Destination, Paper } from '../../core/model/index.ts';
import type { ClaimStatus } from '../../core/ports.ts';

/**
 * Bump on any incompatible change, and say in `checkData` how older files read.
 * 2: papers may carry arXiv fields (`sources`, `categories`, `arxiv`); a version 1 file loads as is
 * (its papers are Hugging Face's), and an older Paperboy refuses a version 2 file rather than take
 * arXiv-only papers for Daily Papers.
 * 3: the JSON store keeps its papers in a paper log beside the file (`PATH.papers`), not in it; a
 * version 1 or 2 file is converted on open, and an older Paperboy refuses a version 3 file (it would
 * see no papers).
 */
export const SCHEMA_VERSION = 3;

export interface DigestRecord {
  status: ClaimStatus;
  claimedAt: string;
  finishedAt?: string;
  /** Papers it delivered or attempted (also added to `delivered`). */
  paperIds?: string[];
}

export interface StoreData {
  version: number;
  /** Sequence number of the last change contained; journal entries at or below it are already applied. */
  seq: number;
  papers: Record<string, Paper>;
  fetchedDays: Record<string, { at: string; count: number }>;
  destinations: Record<string, Destination>;
  /** destination key -> local day -> record */
  digests: Record<string, Record<string, DigestRecord>>;
  /** destination key -> paper ids delivered to it */
  delivered: Record<string, string[]>;
  /** person's destination key -> paper id -> saved at (ISO). Absent in files written before saving existed. */
  saved?: Record<string, Record<string, string>>;
  /** Identity of this paper set (see PaperStore.paperRevision); absent in older files, created on open. */
  epoch?: string;
  /** paper id -> its rev; absent (older files): assigned in file order on load. */
  revs?: Record<string, number>;
}

/**
 * One physical change. Each carries the full new value of what it touches, so replaying a journal
 * is deterministic and needs no clock.
 */
export type Change =
  /** `r`: the paper's new rev; absent in older journals, then the next one. */
  | { t: 'paper'; v: Paper; r?: number }
  /** A new identity for the paper set (a store created, or an older one given its first). */
  | { t: 'epoch'; v: string }
  | { t: 'day'; day: string; v: { at: string; count: number } }
  | { t: 'dest'; v: Destination }
  /** Sets (or with `v: null` deletes) a digest record; `ids` join the delivered papers in the same line. */
  | { t: 'digest'; key: string; day: string; v: DigestRecord | null; ids?: string[] }
  /** Saves (`at`) or unsaves (`at: null`) one paper in one person's list. */
  | { t: 'saved'; key: string; id: string; at: string | null };

export function emptyData(): StoreData {
  return { version: SCHEMA_VERSION, seq: 0, papers: {}, fetchedDays: {}, destinations: {}, digests: {}, delivered: {}, saved: {} };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the top-level shape of loaded data and migrates older versions. Returns a problem
 * description instead of throwing, so the caller can name the file in its error.
 */
export function checkData(raw: unknown): { ok: true; data: StoreData; fromVersion: number } | { ok: false; problem: string } {
  if (!isRecord(raw)) return { ok: false, problem: 'it does not hold a JSON object' };
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, problem: 'it has no schema "version"' };
  if (version > SCHEMA_VERSION) {
    return { ok: false, problem: `it was written by a newer Paperboy (schema version ${version}, this one knows ${SCHEMA_VERSION})` };
  }
  if (version < 1) return { ok: false, problem: `unknown schema version ${version}` };
  if (version >= 3) {
    if (raw.papers !== undefined && (!isRecord(raw.papers) || Object.keys(raw.papers).length > 0)) {
      return { ok: false, problem: 'it holds papers, which a version 3 file keeps in its paper file' };
    }
    raw = { ...raw, papers: {} };
  }
  const r = raw as Record<string, unknown>;
  for (const field of ['papers', 'fetchedDays', 'destinations', 'digests', 'delivered'] as const) {
    if (!isRecord(r[field])) return { ok: false, problem: `its "${field}" is missing or not an object` };
  }
  if (r.saved !== undefined && !isRecord(r.saved)) return { ok: false, problem: 'its "saved" is not an object' };
  for (const [key, list] of Object.entries((r.saved ?? {}) as Record<string, unknown>)) {
    if (!isRecord(list) || !Object.values(list).every((at) => typeof at === 'string')) {
      return { ok: false, problem: `the saved papers of "${key.slice(0, 80)}" are malformed` };
    }
  }
  if (r.epoch !== undefined && typeof r.epoch !== 'string') return { ok: false, problem: 'its "epoch" is not a string' };
  if (r.revs !== undefined && (!isRecord(r.revs) || !Object.values(r.revs).every(isRev))) {
    return { ok: false, problem: 'its "revs" are malformed' };
  }
  if (r.seq !== undefined && (typeof r.seq !== 'number' || !Number.isInteger(r.seq) || r.seq < 0)) {
    return { ok: false, problem: 'its "seq" is not a non-negative integer' };
  }
  for (const [id, p] of Object.entries(r.papers as Record<string, unknown>)) {
    if (!isPaper(p) || p.id !== id) return { ok: false, problem: `paper "${id.slice(0, 40)}" is malformed` };
  }
  for (const [key, d] of Object.entries(r.destinations as Record<string, unknown>)) {
    if (!isDestination(d) || d.key !== key) return { ok: false, problem: `destination "${key.slice(0, 80)}" is malformed` };
  }
  return { ok: true, data: { ...(r as unknown as StoreData), version: SCHEMA_VERSION, seq: (r.seq as number | undefined) ?? 0 }, fromVersion: version };
}

const isRev = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function isPaper(v: unknown): v is { id: string } {
  return (
    isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.listedOn === 'string' &&
    (v.sources === undefined || isRecord(v.sources)) &&
    (v.categories === undefined || (Array.isArray(v.categories) && v.categories.every((c) => typeof c === 'string')))
  );
}

function isDestination(v: unknown): v is { key: string } {
  return isRecord(v) && typeof v.key === 'string' && isRecord(v.settings) && Array.isArray(v.settings.topics) && isRecord(v.state);
}

/** Checks one journal change record; returns false for anything not written by `Change`. */
export function isChange(v: unknown): v is Change {
  if (!isRecord(v)) return false;
  switch (v.t) {
    case 'paper':
      return isPaper(v.v) && (v.r === undefined || isRev(v.r));
    case 'epoch':
      return typeof v.v === 'string' && v.v.length > 0;
    case 'dest':
      return isDestination(v.v);
    case 'day':
      return typeof v.day === 'string' && isRecord(v.v);
    case 'digest':
      return (
        typeof v.key === 'string' &&
        typeof v.day === 'string' &&
        (v.v === null || isRecord(v.v)) &&
        (v.ids === undefined || Array.isArray(v.ids))
      );
    case 'saved':
      return typeof v.key === 'string' && typeof v.id === 'string' && (v.at === null || typeof v.at === 'string');
    default:
      return false;
  }
}
