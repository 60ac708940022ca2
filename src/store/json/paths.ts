/** The files beside a JSON store: its journal, paper log, last good backups, lock and temp files. */
import { basename, dirname, join, resolve } from 'node:path';

export interface StoreFiles {
  /** The JSON snapshot (what DATABASE_URL names): everything but the papers. */
  main: string;
  /** Append-only changes since the snapshot, one JSON object a line. */
  journal: string;
  /** The papers: an append-only log, one record a line (paper-format.ts). */
  papers: string;
  /** Last snapshot that loaded fine. */
  backup: string;
  /** A copy of the paper log as it was at the last open (or before the last compaction). */
  papersBackup: string;
  /** Where each paper lies in the paper log, saved at close: a checked cache that makes opening fast. */
  papersOffsets: string;
  /** Holds the pid of the process that has the store open. */
  lock: string;
  /** Fixed temp names (the lock makes them this process's); one a crash left is removed at open. */
  papersTmp: string;
  papersBackupTmp: string;
  papersOffsetsTmp: string;
}

export function storeFiles(path: string): StoreFiles {
  const main = resolve(path);
  return {
    main,
    journal: `${main}.journal`,
    papers: `${main}.papers`,
    backup: `${main}.bak`,
    papersBackup: `${main}.papers.bak`,
    papersOffsets: `${main}.papers.idx`,
    lock: `${main}.lock`,
    papersTmp: `${main}.papers.tmp`,
    papersBackupTmp: `${main}.papers.bak.tmp`,
    papersOffsetsTmp: `${main}.papers.idx.tmp`,
  };
}

/** A temp name in the same directory, so a rename onto the target is atomic. */
export function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** The CLI command that restores the backup, named in error messages. */
export const RESTORE_COMMAND = 'paperboy restore';
