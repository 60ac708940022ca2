/**
 * Writes a file so that it either appears whole under its name or not at all, also across a power
 * cut: write a temp file beside it, fsync it, rename it into place, fsync the folder.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { replaceDurably } from '../store/json/durable.ts';
import { fault, faultIs, type FaultPoint } from './faults.ts';

export interface WriteFaults {
  /** Reached with half the bytes written and synced. */
  half?: FaultPoint;
  /** Reached with the temp file complete and synced, before the rename. */
  beforeRename?: FaultPoint;
}

/** `.NAME.tmp` beside `file`: the folder's clean-up removes leftovers of a crash. */
export function tempOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

async function writeAll(h: FileHandle, chunks: Buffer[]): Promise<void> {
  // writev takes at most IOV_MAX buffers and may write less than asked: loop on what is left.
  let rest = chunks.filter((c) => c.length > 0);
  while (rest.length > 0) {
    const batch = rest.slice(0, 512);
    let { bytesWritten } = await h.writev(batch);
    let i = 0;
    while (i < batch.length && bytesWritten >= batch[i]!.length) bytesWritten -= batch[i++]!.length;
    const left = batch.slice(i);
    if (left.length > 0 && bytesWritten > 0) left[0] = left[0]!.subarray(bytesWritten);
    rest = [...left, ...rest.slice(batch.length)];
  }
}

/** Writes `chunks` to `file` atomically and durably; returns the bytes written. */
export async function writeFileDurably(file: string, chunks: Buffer[], faults: WriteFaults = {}): Promise<number> {
  const tmp = tempOf(file);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const h = await open(tmp, 'w');
  try {
    if (faults.half && faultIs(faults.half)) {
      const all = Buffer.concat(chunks);
      await writeAll(h, [all.subarray(0, all.length >> 1)]);
      await h.sync();
      fault(faults.half);
    }
    await writeAll(h, chunks);
    await h.sync();
  } catch (e) {
    await h.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await h.close();
  if (faults.beforeRename) fault(faults.beforeRename);
  await replaceDurably(tmp, file);
  return total;
}
