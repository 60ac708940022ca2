/** The files beside a JSON store: its journal, last good backup, lock and temp file. */
import { basename, dirname, join, resolve } from 'node:path';

export interface StoreFiles {
  /** The JSON snapshot (what DATABASE_URL names). */
  main: string;
  /** Append-only changes since the snapshot, one JSON object a line. */
  journal: string;
  /** Last snapshot that loaded fine. */
  backup: string;
  /** Holds the pid of the process that has the store open. */
  lock: string;
}

export function storeFiles(path: string): StoreFiles {
  const main = resolve(path);
  return { main, journal: `${main}.journal`, backup: `${main}.bak`, lock: `${main}.lock` };
}

/** A temp name in the same directory, so a rename onto the target is atomic. */
export function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** The CLI command that restores the backup, named in error messages. */
export const RESTORE_COMMAND = 'paperboy restore';
