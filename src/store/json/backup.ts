/** `paperboy restore`: puts the last good backup back, keeping the files it replaces aside. */
import { randomUUID } from 'node:crypto';
import { rename, stat } from 'node:fs/promises';
import { PaperboyError } from '../../core/model/index.ts';
import { listSegments, readSnapshot } from './load.ts';
import { heldBy, isOpenHere } from './lock.ts';
import { storeFiles, tempBeside } from './paths.ts';
import { copyDurably, writeDurably } from './durable.ts';

export interface RestoreResult {
  /** The store file now holding the backup's content. */
  restored: string;
  from: string;
  /** Files moved aside (the damaged store, its journal and segments), never deleted. */
  keptAside: string[];
  papers: number;
  destinations: number;
}

const exists = (f: string) =>
  stat(f).then(
    () => true,
    () => false,
  );

export async function restoreJsonBackup(path: string): Promise<RestoreResult> {
  const files = storeFiles(path);
  if (isOpenHere(files.main)) throw new PaperboyError('store', `The store ${files.main} is open; close it before restoring.`);
  const pid = await heldBy(files.lock);
  if (pid !== undefined) {
    throw new PaperboyError('store', `The store ${files.main} is in use by Paperboy process ${pid}; stop it before restoring.`);
  }
  if (!(await exists(files.backup))) {
    throw new PaperboyError('store', `There is no backup of ${files.main} to restore (looked for ${files.backup}).`);
  }
  // Never restore something that would not load either.
  const snap = await readSnapshot(files.backup, files).catch((e: unknown) => {
    throw new PaperboyError('store', `The backup ${files.backup} is damaged too; nothing was changed.`, undefined, { cause: e });
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const keptAside: string[] = [];
  const segments = (await listSegments(files)).map((x) => x.path);
  for (const f of [files.main, ...segments, files.journal]) {
    if (!(await exists(f))) continue;
    const aside = `${f}.before-restore-${stamp}`;
    await rename(f, aside);
    keptAside.push(aside);
  }
  await copyDurably(files.backup, tempBeside(files.main), files.main);
  // Another paper set than the one an index outside may have followed: a new epoch, journalled.
  const epoch = { s: (snap?.data.seq ?? 0) + 1, t: 'epoch', v: randomUUID() };
  await writeDurably(files.journal, `${JSON.stringify(epoch)}\n`);
  return {
    restored: files.main,
    from: files.backup,
    keptAside,
    papers: Object.keys(snap?.data.papers ?? {}).length,
    destinations: Object.keys(snap?.data.destinations ?? {}).length,
  };
}
