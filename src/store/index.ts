/**
 * Store implementations behind the core's `Store` port. `openStore` picks one from `DATABASE_URL`:
 * `file:PATH` is the embedded lowdb JSON store, `postgres://` the scale-out store.
 */
import { PaperboyError } from '../core/model/index.ts';
import type { Clock, Logger, Store } from '../core/ports.ts';

export { createMemoryStore } from './memory/index.ts';

export interface OpenStoreOptions {
  logger: Logger;
  clock?: Clock;
}

export async function openStore(databaseUrl: string, opts: OpenStoreOptions): Promise<Store> {
  const url = String(databaseUrl ?? '').trim();
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new PaperboyError('config', `DATABASE_URL "${url}" names no file; use file:PATH, e.g. file:./data/paperboy.json.`);
    throw new PaperboyError('store', 'The JSON store is being written; use createMemoryStore() meanwhile.');
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Loaded on demand so the JSON-only setup never loads pg.
    const mod = (await import('./postgres/index.ts' as string)) as {
      openPostgresStore(url: string, opts: OpenStoreOptions): Promise<Store>;
    };
    return mod.openPostgresStore(url, opts);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new PaperboyError(
    'config',
    `DATABASE_URL ${scheme ? `uses the unsupported scheme "${scheme}:"` : `"${url}" is not a URL`}; use file:PATH (a JSON file) or postgres://USER:PASS@HOST/DB.`,
  );
}
