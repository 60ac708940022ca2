/**
 * Reading a JSON store: the snapshot through lowdb, then the journal replayed on top. Anything that
 * does not parse stops the open with an error naming the file and how to restore it; nothing here
 * writes, so a damaged file is left exactly as it was.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { PaperboyError } from '../../core/model/index.ts';
import { type StoreData, checkData, emptyData, isChange } from '../memory/schema.ts';
import { StoreState } from '../memory/state.ts';
import { RESTORE_COMMAND, type StoreFiles } from './paths.ts';

export interface Loaded {
  state: StoreState;
  /**
   * The papers came inside the JSON file or journal (a version 1-2 file, or a store an older
   * Paperboy created): they are in `state` and must move to the paper log before anything else.
   */
  inline: boolean;
  /** The snapshot existed and loaded (so it may become the backup). */
  snapshotLoaded: boolean;
  snapshotBytes: number;
  replayed: number;
  /** Closed journal segments replayed (a compaction was cut short); removed by the next one. */
  segments: Segment[];
  /** Bytes of the journal that hold whole lines; a torn tail beyond is cut off before appending. */
  journalGoodBytes: number;
  journalTornBytes: number;
}

export async function damaged(files: StoreFiles, which: string, problem: string): Promise<PaperboyError> {
  const hasBackup = await exists(files.backup);
  const hint = hasBackup
    ? `Run "${RESTORE_COMMAND}" (with the same DATABASE_URL) to put back the last good copy ${files.backup}; the damaged files are kept aside, not deleted.`
    : `There is no backup (${files.backup}). Repair the file, or move it away to start with an empty store.`;
  return new PaperboyError('store', `The store file ${which} is damaged: ${problem}. It was left untouched.`, hint);
}

/** Reads and checks a snapshot; `undefined` when the file does not exist. */
export async function readSnapshot(file: string, files: StoreFiles): Promise<{ data: StoreData; bytes: number; fromVersion: number } | undefined> {
  let bytes: number;
  try {
    bytes = (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PaperboyError('store', `Cannot read the store file ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (bytes === 0) throw await damaged(files, file, 'it is empty (0 bytes), as if truncated');
  const fallback = emptyData();
  const db = new Low<StoreData>(new JSONFile<StoreData>(file), fallback);
  try {
    await db.read();
  } catch (e) {
    if (e instanceof SyntaxError) throw await damaged(files, file, `it is not valid JSON (${e.message})`);
    throw new PaperboyError('store', `Cannot read the store file ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  // lowdb keeps the defaults when the file holds null/false/0: that is damage, not an empty store.
  const checked = db.data === fallback ? { ok: false as const, problem: 'it holds no store data' } : checkData(db.data);
  if (!checked.ok) throw await damaged(files, file, checked.problem);
  return { data: checked.data, bytes, fromVersion: checked.fromVersion };
}

export const exists = (f: string) =>
  stat(f).then(
    () => true,
    () => false,
  );

export async function loadStore(files: StoreFiles): Promise<Loaded> {
  const snap = await readSnapshot(files.main, files);
  const hasLog = await exists(files.papers);
  if (snap && snap.fromVersion >= 3 && !hasLog) throw await damaged(files, files.main, `its paper file ${files.papers} is missing`);
  const inline = snap ? snap.fromVersion < 3 : !hasLog;
  let state: StoreState;
  try {
    state = StoreState.fromData(snap?.data ?? emptyData());
  } catch (e) {
    throw await damaged(files, files.main, `its records are inconsistent (${(e as Error).message})`);
  }

  // Closed journal segments (from compactions that had not finished) come first, then the live journal.
  const segments = await listSegments(files);
  let replayed = 0;
  let journalGoodBytes = 0;
  let journalTornBytes = 0;
  for (const file of [...segments.map((x) => x.path), files.journal]) {
    const live = file === files.journal;
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new PaperboyError('store', `Cannot read the store journal ${file}: ${(e as Error).message}`, undefined, { cause: e });
      }
    }
    let pos = 0;
    let line = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) {
        if (live) break; // no newline: a write cut short by a crash, never acknowledged
        throw await damaged(files, file, 'its last line is cut short');
      }
      line++;
      let entry: unknown;
      try {
        entry = JSON.parse(text.slice(pos, nl));
      } catch {
        entry = undefined;
      }
      const s = (entry as { s?: unknown } | undefined)?.s;
      if (!isChange(entry) || typeof s !== 'number' || !Number.isInteger(s)) {
        throw await damaged(files, file, `line ${line} is not a valid change record`);
      }
      if (!inline && entry.t === 'paper' && s > state.seq) {
        throw await damaged(files, file, `line ${line} holds a paper, which this store keeps in its paper file`);
      }
      if (s > state.seq + 1) {
        throw await damaged(files, file, `line ${line} (change ${s}) does not follow the snapshot (change ${state.seq}); the journal belongs to another copy of the store`);
      }
      if (state.replay(s, entry)) replayed++;
      pos = nl + 1;
    }
    if (live) {
      journalGoodBytes = Buffer.byteLength(text.slice(0, pos));
      journalTornBytes = Buffer.byteLength(text) - journalGoodBytes;
    }
  }
  return { state, inline, snapshotLoaded: snap !== undefined, snapshotBytes: snap?.bytes ?? 0, replayed, segments, journalGoodBytes, journalTornBytes };
}

export interface Segment {
  path: string;
  /** Number of the last change it holds. */
  lastSeq: number;
}

/** Journal segments `PATH.journal.N` (N = last change in it), oldest first. */
export async function listSegments(files: StoreFiles): Promise<Segment[]> {
  const prefix = `${basename(files.journal)}.`;
  const names = await readdir(dirname(files.journal)).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => ({ path: join(dirname(files.journal), n), lastSeq: Number(n.slice(prefix.length)) }))
    .sort((a, b) => a.lastSeq - b.lastSeq);
}
