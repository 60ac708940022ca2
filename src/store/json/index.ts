export { openJsonStore, type JsonStore, type JsonStoreOptions } from './json-store.ts';
export type { JsonStoreStats } from './persister.ts';
export { restoreJsonBackup, type RestoreResult } from './backup.ts';
export { storeFiles, type StoreFiles, RESTORE_COMMAND } from './paths.ts';
