/**
 * Durable on power loss, not only on a kill: data is fsync'ed before it is renamed into place,
 * and the folder after a rename, a create or a delete, so the name points at the data after a
 * power cut too (ext4, xfs and APFS keep neither without being asked).
 */
import { copyFile, open, rename } from 'node:fs/promises';
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
  const h = await open(tmp, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
  await replaceDurably(tmp, target);
}
