/**
 * The folder an index lives in, and its housekeeping: where it is (INDEX_DIR, else beside the JSON
 * store), one process at a time (a lock file, as the JSON store's), and deleting the files no
 * manifest names (leftovers of a crash or of older generations).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { acquire, release } from '../store/json/lock.ts';
import { syncDir } from '../store/json/durable.ts';
import { jsonStorePath } from '../store/index.ts';
import type { Manifest } from './manifest.ts';

/** Files this module writes (and so may delete); anything else in the folder is left alone. */
const OURS = /^\.?(seg|state)-[\w-]+\.pbi(\.tmp)?$|^\.MANIFEST\.tmp$/;

/**
 * Where the index is kept: INDEX_DIR when set, else `index/` beside a JSON store file
 * (`./data/index/` for the default `./data/paperboy.json`); undefined (kept in memory only) for
 * PostgreSQL without INDEX_DIR, since a shared working folder would be shared by replicas.
 */
export function indexDirFor(databaseUrl: string, indexDir?: string): string | undefined {
  if (indexDir) return resolve(indexDir);
  const path = jsonStorePath(databaseUrl);
  return path ? join(dirname(resolve(path)), 'index') : undefined;
}

export interface DirLock {
  release(): Promise<void>;
}

/** Takes the folder for this process; throws PaperboyError when another live process holds it. */
export async function lockDir(dir: string): Promise<DirLock> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'LOCK');
  await acquire(dir, file);
  return { release: () => release(dir, file) };
}

/** The files `m` names. */
export function namedBy(m: Manifest | undefined): Set<string> {
  return new Set(m ? [m.state.file, ...m.segments.map((s) => s.file)] : []);
}

/** Deletes this module's files that `keep` does not name; returns how many. */
export async function removeUnnamed(dir: string, keep: Set<string>): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const gone = names.filter((n) => OURS.test(n) && !keep.has(n));
  for (const n of gone) await rm(join(dir, n), { force: true });
  if (gone.length > 0) await syncDir(dir);
  return gone.length;
}
