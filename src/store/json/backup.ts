/**
 * `paperboy restore`: puts the last good backup back (the JSON file's `PATH.bak` and the paper log's
 * `PATH.papers.bak`), keeping the files it replaces aside. The restored store is another paper set
 * than the one an index outside may have followed, so it gets a new epoch.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PaperboyError } from '../../core/model/index.ts';
import { exists, listSegments, readSnapshot } from './load.ts';
import { heldBy, isOpenHere } from './lock.ts';
import { copyChecked } from './paper-backup.ts';
import { encodeMeta } from './paper-format.ts';
import { scanLog } from './paper-scan.ts';
import { type StoreFiles, storeFiles, tempBeside } from './paths.ts';
import { copyDurably, syncDir, writeDurably, writeFully } from './durable.ts';

export interface RestoreResult {
  /** The store file now holding the backup's content. */
  restored: string;
  from: string;
  /** Files moved aside (the damaged store, its journal, segments and paper log), never deleted. */
  keptAside: string[];
  papers: number;
  destinations: number;
}

const refuse = (message: string, cause?: unknown) => new PaperboyError('store', message, undefined, cause === undefined ? undefined : { cause });

export async function restoreJsonBackup(path: string): Promise<RestoreResult> {
  const files = storeFiles(path);
  if (isOpenHere(files.main)) throw refuse(`The store ${files.main} is open; close it before restoring.`);
  const pid = await heldBy(files.lock);
  if (pid !== undefined) throw refuse(`The store ${files.main} is in use by Paperboy process ${pid}; stop it before restoring.`);
  if (!(await exists(files.backup))) throw refuse(`There is no backup of ${files.main} to restore (looked for ${files.backup}).`);
  // Never restore something that would not load either.
  const snap = await readSnapshot(files.backup, files).catch((e: unknown) => {
    throw refuse(`The backup ${files.backup} is damaged too; nothing was changed.`, e);
  });
  // A backup from before the paper log holds its papers and converts again on open; a newer one needs the paper log's backup.
  const withLog = (snap?.fromVersion ?? 0) >= 3;
  const papersBak = withLog ? await scanLog(files.papersBackup) : undefined;
  if (withLog && papersBak === undefined) throw refuse(`There is no backup of ${files.papers} to restore with ${files.backup} (looked for ${files.papersBackup}); nothing was changed.`);
  if (papersBak && 'problem' in papersBak) throw refuse(`The backup ${files.papersBackup} is damaged too (${papersBak.problem}); nothing was changed.`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const keptAside: string[] = [];
  const segments = (await listSegments(files)).map((x) => x.path);
  for (const f of [files.main, ...segments, files.journal, files.papers]) {
    if (!(await exists(f))) continue;
    const aside = `${f}.before-restore-${stamp}`;
    await rename(f, aside);
    keptAside.push(aside);
  }
  // The saved offsets describe the log put aside: the restored one is scanned afresh.
  await rm(files.papersOffsets, { force: true });
  await copyDurably(files.backup, tempBeside(files.main), files.main);
  const epoch = randomUUID();
  if (papersBak) {
    await restoreLog(files, papersBak.goodBytes, epoch);
  } else {
    const line = { s: (snap?.data.seq ?? 0) + 1, t: 'epoch', v: epoch };
    await writeDurably(files.journal, `${JSON.stringify(line)}\n`);
  }
  return {
    restored: files.main,
    from: files.backup,
    keptAside,
    papers: papersBak ? papersBak.entries.size : Object.keys(snap?.data.papers ?? {}).length,
    destinations: Object.keys(snap?.data.destinations ?? {}).length,
  };
}

/** Copies the paper log's backup (its good part) into place, with a new epoch and generation after it. */
async function restoreLog(files: StoreFiles, goodBytes: number, epoch: string): Promise<void> {
  const out = await open(files.papersTmp, 'w');
  try {
    await copyChecked(files.papersBackup, 0, goodBytes, out, async (problem) => refuse(`The backup ${files.papersBackup} is damaged too: ${problem}.`));
    await writeFully(out, encodeMeta({ epoch, gen: randomUUID() }));
    await out.sync();
  } catch (e) {
    await out.close().catch(() => {});
    await rm(files.papersTmp, { force: true });
    throw e;
  }
  await out.close();
  await rename(files.papersTmp, files.papers);
  await syncDir(dirname(files.papers));
}
