/** The search index kept on disk (issue 15): files, manifest, and the index that restores and persists itself. */
export { KeptIndex, openKeptIndex, type IndexOrigin, type KeptIndexOptions, type PersistableIndex, type IndexStore } from './kept-index.ts';
export { indexDirFor } from './index-dir.ts';
export { paperIndexFactory } from './paper-index.ts';
export { FAULT_ENV, type FaultPoint } from './faults.ts';
export { MANIFEST, INDEX_FORMAT, readManifest, type Manifest } from './manifest.ts';
