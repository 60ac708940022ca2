/**
 * MANIFEST: the small JSON file naming the current generation's files and the store state they
 * cover. It is written last, and its rename is the commit: until then the previous manifest, and
 * every file it names, stays as it was.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { FORMAT_VERSION } from './container.ts';
import { writeFileDurably } from './durable-write.ts';

/** Bumped whenever what the files hold changes meaning; a manifest of another format is rebuilt. */
export const INDEX_FORMAT = FORMAT_VERSION * 1000 + 1;
export const MANIFEST = 'MANIFEST';

/** What the store said when the index covered it (`paperRevision()`). */
export interface StoreSignature {
  epoch: string;
  rev: number;
  count: number;
}

const fileRef = z.object({ file: z.string().regex(/^[\w.-]+$/), bytes: z.number().int().nonnegative() });
const manifestSchema = z.object({
  format: z.number().int(),
  generation: z.number().int().nonnegative(),
  store: z.object({ epoch: z.string(), rev: z.number(), count: z.number().int().nonnegative() }),
  /** `fp`: the segment's id and shape, so a reused id is never taken for a file of another segment. */
  segments: z.array(fileRef.extend({ id: z.string(), fp: z.string(), endDoc: z.number().int().optional() })),
  state: fileRef,
  writtenAt: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Why a manifest cannot be used, or the manifest. */
export type ManifestRead = { manifest: Manifest } | { problem: string };

export async function readManifest(dir: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no index on disk yet' : `manifest unreadable (${code ?? (e as Error).message})` };
  }
  let outer: { manifest?: unknown; crc32?: unknown };
  try {
    outer = JSON.parse(text) as typeof outer;
  } catch {
    return { problem: 'manifest damaged (not JSON)' };
  }
  if (crc32(JSON.stringify(outer.manifest ?? null)) !== outer.crc32) return { problem: 'manifest damaged (CRC mismatch)' };
  const parsed = manifestSchema.safeParse(outer.manifest);
  if (!parsed.success) {
    const format = (outer.manifest as { format?: unknown } | undefined)?.format;
    return { problem: format !== INDEX_FORMAT ? `index of format ${String(format)}, this version writes ${INDEX_FORMAT}` : 'manifest damaged (bad shape)' };
  }
  if (parsed.data.format !== INDEX_FORMAT) return { problem: `index of format ${parsed.data.format}, this version writes ${INDEX_FORMAT}` };
  return { manifest: parsed.data };
}

export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  const body = JSON.stringify(m);
  // The CRC is over the manifest as serialized here; the reader re-serializes the parsed object, which gives the same text.
  const text = `{"manifest":${body},"crc32":${crc32(body)}}\n`;
  await writeFileDurably(join(dir, MANIFEST), [Buffer.from(text)], { beforeRename: 'after-manifest-tmp' });
}
