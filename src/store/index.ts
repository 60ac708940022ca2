/**
 * Store implementations behind the core's `Store` port. `openStore` picks one from `DATABASE_URL`:
 * `file:PATH` is the embedded lowdb JSON store, `postgres://` the scale-out store.
 */
import { PaperboyError } from '../core/model/index.ts';
import type { Clock, Logger, Store } from '../core/ports.ts';

import { openJsonStore } from './json/index.ts';
import { isPostgresUrl } from './url.ts';

export { isPostgresUrl } from './url.ts';

export { createMemoryStore } from './memory/index.ts';
export { openJsonStore, restoreJsonBackup, storeFiles, RESTORE_COMMAND, type JsonStore, type JsonStoreOptions, type JsonStoreStats, type RestoreResult } from './json/index.ts';

export interface OpenStoreOptions {
  logger: Logger;
  clock?: Clock;
  /** JSON store only: journal size that triggers compaction. */
  compactAfterBytes?: number;
}

/** The file a `file:` DATABASE_URL names, or undefined for other schemes (used by `paperboy restore`). */
export function jsonStorePath(databaseUrl: string): string | undefined {
  const url = String(databaseUrl ?? '').trim();
  if (!url.startsWith('file:')) return undefined;
  // file:./x, file:x, file:/abs and file:///abs all name a path.
  return url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
}

export async function openStore(databaseUrl: string, opts: OpenStoreOptions): Promise<Store> {
  const url = String(databaseUrl ?? '').trim();
  const path = jsonStorePath(url);
  if (path !== undefined) {
    if (!path) throw new PaperboyError('config', `DATABASE_URL "${url}" names no file; use file:PATH, e.g. file:./data/paperboy.json.`);
    return openJsonStore(path, opts);
  }
  if (isPostgresUrl(url)) {
    // Loaded on demand so the JSON-only setup never loads pg.
    const mod = await import('./postgres/index.ts');
    return mod.openPostgresStore(url, opts);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new PaperboyError(
    'config',
    `DATABASE_URL ${scheme ? `uses the unsupported scheme "${scheme}:"` : `"${url}" is not a URL`}; use file:PATH (a JSON file) or postgres://USER:PASS@HOST/DB.`,
  );
}
