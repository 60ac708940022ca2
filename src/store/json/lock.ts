/**
 * One writer per store file. Within a process a set of open paths; across processes a lock file
 * holding the owner's pid, taken over when that process is gone (e.g. killed).
 */
import { open, readFile, rm } from 'node:fs/promises';
import { PaperboyError } from '../../core/model/index.ts';

const openHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquire(main: string, lockFile: string): Promise<void> {
  if (openHere.has(main)) {
    throw new PaperboyError('store', `The store ${main} is already open in this process; open it once and share the Store.`);
  }
  openHere.add(main);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const h = await open(lockFile, 'wx');
        await h.writeFile(`${process.pid}\n`);
        await h.close();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number.parseInt((await readFile(lockFile, 'utf8').catch(() => '')).trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new PaperboyError(
          'store',
          `The store ${main} is in use by another Paperboy process (pid ${pid}).`,
          `Stop that process first, or give this one another DATABASE_URL. If no such process runs, delete ${lockFile}.`,
        );
      }
      await rm(lockFile, { force: true }); // left by a process that died
    }
    throw new PaperboyError('store', `Could not lock the store ${main} (${lockFile} keeps coming back).`);
  } catch (e) {
    openHere.delete(main);
    throw e;
  }
}

export async function release(main: string, lockFile: string): Promise<void> {
  openHere.delete(main);
  await rm(lockFile, { force: true });
}

export function isOpenHere(main: string): boolean {
  return openHere.has(main);
}

/** The pid holding `lockFile`, if that process is alive and not this one. */
export async function heldBy(lockFile: string): Promise<number | undefined> {
  const pid = Number.parseInt((await readFile(lockFile, 'utf8').catch(() => '')).trim(), 10);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}
