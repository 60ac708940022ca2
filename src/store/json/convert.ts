/**
 * Moves the papers of an older store (inside the JSON file or journal) to the paper log, once, at
 * open. Two steps, each atomic: (1) the paper log is written whole (temp, fsync, rename); (2) the
 * JSON file is rewritten without papers as version 3, and the journal it covers removed. A crash
 * before (2) leaves the old file, which converts again from scratch (the log is rewritten, not
 * appended to), so every paper is in the log exactly once; after (2) the store is converted.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../core/ports.ts';
import { syncDir } from './durable.ts';
import type { Loaded } from './load.ts';
import { writeLogFile } from './paper-log.ts';
import type { StoreFiles } from './paths.ts';
import { writeSnapshot } from './snapshot-writer.ts';

export type ConvertStep = 'papers-written' | 'file-rewritten';

export async function convertToPaperLog(files: StoreFiles, loaded: Loaded, logger: Logger, after?: (step: ConvertStep) => void): Promise<void> {
  const s = loaded.state;
  const started = Date.now();
  const count = s.papers.size;
  const papers = [...s.revs].sort((a, b) => a[1] - b[1]).map(([id, rev]) => ({ paper: s.papers.get(id)!, rev }));
  // Revs and epoch carry over, so an index built on the old layout stays valid.
  await writeLogFile(files, s.epoch ?? randomUUID(), papers);
  after?.('papers-written');
  s.dropPapers();
  loaded.snapshotBytes = await writeSnapshot(files.main, s.view());
  after?.('file-rewritten');
  // Every journal line is at or below the new file's change number: covered, and no longer needed.
  for (const seg of loaded.segments) await rm(seg.path, { force: true });
  await rm(files.journal, { force: true });
  await syncDir(dirname(files.main));
  loaded.segments = [];
  loaded.journalGoodBytes = 0;
  loaded.journalTornBytes = 0;
  loaded.inline = false;
  if (count > 0 || loaded.snapshotLoaded) logger.info({ file: files.main, papers: count, ms: Date.now() - started }, 'store converted: papers moved to the paper file beside it');
}
