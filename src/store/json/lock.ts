/**
 * One writer per store file. Within a process a set of open paths; across processes a lock file
 * holding the owner's pid, taken over when that process is gone (e.g. killed).
 *
 * Races between processes starting together: the lock file is created with its pid already in it
 * (written aside, then hard-linked into place, which fails if the file exists), so nobody ever
 * reads it empty and mistakes it for a dead owner's. Taking over a dead owner's file happens under
 * a second such file (`.lock.takeover`), so two processes cannot both remove a stale lock and then
 * remove each other's fresh one.
 */
import { randomUUID } from 'node:crypto';
import { link, open, readFile, rm, writeFile } from 'node:fs/promises';
import { PaperboyError } from '../../core/model/index.ts';

const openHere = new Set<string>();
/** Waits for another process's takeover: up to about 2 s in all. */
const ATTEMPTS = 100;
const PAUSE_MS = 20;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(file: string): Promise<number | undefined> {
  const pid = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The pid in `file` if that is another process still running. */
async function liveOther(file: string): Promise<number | undefined> {
  const pid = await ownerOf(file);
  return pid !== undefined && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** Creates `file` holding this pid; false when it exists already. */
async function createOwned(file: string): Promise<boolean> {
  const aside = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(aside, `${process.pid}\n`);
  try {
    await link(aside, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: exclusive create, then the pid (briefly empty).
    try {
      const h = await open(file, 'wx');
      await h.writeFile(`${process.pid}\n`);
      await h.close();
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    await rm(aside, { force: true });
  }
}

function inUse(main: string, lockFile: string, pid: number): PaperboyError {
  return new PaperboyError(
    'store',
    `The store ${main} is in use by another Paperboy process (pid ${pid}).`,
    `Stop that process first, or give this one another DATABASE_URL. If no such process runs, delete ${lockFile}.`,
  );
}

export async function acquire(main: string, lockFile: string): Promise<void> {
  if (openHere.has(main)) {
    throw new PaperboyError('store', `The store ${main} is already open in this process; open it once and share the Store.`);
  }
  openHere.add(main);
  const takeover = `${lockFile}.takeover`;
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await createOwned(lockFile)) return;
      const pid = await liveOther(lockFile);
      if (pid !== undefined) throw inUse(main, lockFile, pid);
      // Left by a process that died: only the holder of the takeover file may remove it.
      if (await createOwned(takeover)) {
        try {
          if ((await liveOther(lockFile)) === undefined) {
            await rm(lockFile, { force: true });
            if (await createOwned(lockFile)) return;
          }
        } finally {
          await rm(takeover, { force: true });
        }
      } else {
        // Another process is taking over; its file is cleared only if it died doing so.
        const taker = await ownerOf(takeover);
        if (taker !== undefined && taker !== process.pid && !alive(taker)) await rm(takeover, { force: true });
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
    }
    throw new PaperboyError('store', `Could not lock the store ${main} (${lockFile} keeps coming back).`);
  } catch (e) {
    openHere.delete(main);
    throw e;
  }
}

/** Gives the store up; the lock file goes only if it is still this process's. */
export async function release(main: string, lockFile: string): Promise<void> {
  const held = openHere.delete(main);
  if (held && (await ownerOf(lockFile)) === process.pid) await rm(lockFile, { force: true });
}

export function isOpenHere(main: string): boolean {
  return openHere.has(main);
}

/** The pid holding `lockFile`, if that process is alive and not this one. */
export function heldBy(lockFile: string): Promise<number | undefined> {
  return liveOther(lockFile);
}
