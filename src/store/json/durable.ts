/**
 * Durable on power loss, not only on a kill: data is fsync'ed before it is renamed into place,
 * and the folder after a rename, a create or a delete, so the name points at the data after a
 * power cut too (ext4, xfs and APFS keep neither without being asked).
 */
import { type FileHandle, copyFile, open, rename, writeFile } from 'node:fs/promises';
import { tempBeside } from './paths.ts';
import { dirname } from 'node:path';

/** Makes the folder's entries (renames, new and deleted files) durable. */
export async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Renames a complete, already fsync'ed `tmp` over `target`, then makes the rename durable. */
export async function replaceDurably(tmp: string, target: string): Promise<void> {
  await rename(tmp, target);
  await syncDir(dirname(target));
}

/** Copies `src` to `tmp`, fsyncs the copy, and renames it over `target` durably. */
export async function copyDurably(src: string, tmp: string, target: string): Promise<void> {
  await copyFile(src, tmp);
  await syncFile(tmp);
  await replaceDurably(tmp, target);
}

async function syncFile(file: string): Promise<void> {
  const h = await open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes `text` as the whole of `target`: a temp file, fsync'ed, renamed over it durably. */
export async function writeDurably(target: string, text: string): Promise<void> {
  const tmp = tempBeside(target);
  await writeFile(tmp, text);
  await syncFile(tmp);
  await replaceDurably(tmp, target);
}

/** Writes all of `buf` at `position` (or at the file's current offset), however the system splits it. */
export async function writeFully(h: FileHandle, buf: Buffer, position?: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off, position === undefined ? null : position + off);
    off += bytesWritten;
  }
}
