/**
 * The embedded JSON store. On disk, beside `PATH` (the JSON snapshot, read with lowdb):
 * `PATH.journal` (changes since the snapshot, one JSON line each), `PATH.journal.N` (segments of a
 * compaction still in progress), `PATH.bak` (the last snapshot that loaded fine, refreshed at each
 * open), `PATH.lock` (pid of the process that has it open). `restoreJsonBackup` is `paperboy restore`.
 */
export { openJsonStore, type JsonStore, type JsonStoreOptions } from './json-store.ts';
export type { JsonStoreStats } from './persister.ts';
export { restoreJsonBackup, type RestoreResult } from './backup.ts';
export { storeFiles, type StoreFiles, RESTORE_COMMAND } from './paths.ts';
