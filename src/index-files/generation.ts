/**
 * One generation of index files: a file per segment (immutable, written once), a state file (the
 * parts that change with every add), and the manifest naming them, written last. Loading checks
 * every file's length and CRCs before anything is used.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { decode, encode, IndexFileError, type SectionPlace } from './container.ts';
import { fromSections, sharedPrefix, toSections, type StringTable, type TablePrefix } from './codec.ts';
import { writeFileDurably } from './durable-write.ts';
import { fault } from './faults.ts';
import { INDEX_FORMAT, writeManifest, type Manifest, type StoreSignature } from './manifest.ts';

/** What the index hands over to be persisted: its segments (immutable, each with an id) and the rest. */
export interface SnapshotShape {
  segments: readonly SegmentShape[];
}
export interface SegmentShape {
  id: string | number;
  /** Docs `firstDoc..endDoc - 1`, when the index numbers them so. */
  firstDoc?: number;
  endDoc?: number;
}

/** An id and shape (array lengths, scalars): equal for the same segment, different for another one under a reused id. */
export function fingerprint(seg: SegmentShape): string {
  const parts: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (ArrayBuffer.isView(v)) parts.push(`${path}#${v.byteLength}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    else parts.push(`${path}=${String(v)}`);
  };
  walk(seg, '');
  return parts.join(',');
}

const tag = () => randomBytes(4).toString('hex');
const safe = (id: string | number) => String(id).replace(/[^\w-]/g, '_');

async function readChecked(dir: string, file: string, bytes: number, kind: string) {
  let buf: Buffer;
  try {
    buf = await readFile(join(dir, file));
  } catch (e) {
    throw new IndexFileError(`${file} unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length !== bytes) throw new IndexFileError(`${file} holds ${buf.length} bytes, the manifest says ${bytes}`);
  try {
    return decode(buf, kind);
  } catch (e) {
    if (e instanceof IndexFileError) throw new IndexFileError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * The snapshot a manifest names, and its state's string tables; throws IndexFileError saying which
 * file is wrong and how.
 */
export async function loadGeneration<S extends SnapshotShape>(dir: string, m: Manifest): Promise<{ snapshot: S; tables: StateTables }> {
  // Read in parallel: the reads run on libuv's threads while this one checks what has arrived.
  const [stateFile, ...segFiles] = await Promise.all([
    readChecked(dir, m.state.file, m.state.bytes, 'state'),
    ...m.segments.map((s) => readChecked(dir, s.file, s.bytes, 'segment')),
  ]);
  const read = new Map<string, StringTable>();
  const state = fromSections<Record<string, unknown>>(stateFile!, true, read);
  const tables: StateTables = new Map();
  for (const [path, t] of read) {
    const at = stateFile!.layout.get(`${path}#utf8`);
    if (at) tables.set(path, { ...t, file: m.state.file, ...at });
  }
  const segments = segFiles.map((d, i) => {
    const seg = fromSections<SegmentShape>(d, false);
    if (fingerprint(seg) !== m.segments[i]!.fp) throw new IndexFileError(`${m.segments[i]!.file} is not the segment the manifest names`);
    return seg;
  });
  return { snapshot: { ...state, segments } as unknown as S, tables };
}

/** The state's string tables as last committed: their strings, and where their bytes lie in which file. */
export type StateTables = Map<string, StringTable & SectionPlace & { file: string }>;

/** Reused only past this many strings: below it, encoding is cheaper than a read. */
const REUSE_MIN = 1024;

function valueAt(v: unknown, path: string): unknown {
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * The committed bytes of each table `snap` shares a long prefix with, read back from the last state
 * file (off the event loop) and checked against their CRC: a damaged file is never copied forward.
 */
async function prefixesFrom(dir: string, snap: object, tables: StateTables): Promise<Map<string, TablePrefix>> {
  const out = new Map<string, TablePrefix>();
  for (const [path, t] of tables) {
    const list = valueAt(snap, path);
    if (!Array.isArray(list)) continue;
    const same = sharedPrefix(list as string[], t.list);
    if (same < REUSE_MIN) continue;
    const bytes = Buffer.allocUnsafeSlow(t.bytes);
    try {
      const h = await open(join(dir, t.file), 'r');
      try {
        let got = 0;
        while (got < t.bytes) {
          const { bytesRead } = await h.read(bytes, got, t.bytes - got, t.offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        if (got !== t.bytes || crc32(bytes) !== t.crc) continue;
      } finally {
        await h.close();
      }
    } catch {
      continue; // encode it all again
    }
    out.set(path, { same, offs: t.offs, bytes });
  }
  return out;
}

/** Segment files already on disk, by fingerprint: written once, named by every later manifest. */
export type WrittenSegments = Map<string, { file: string; bytes: number }>;

export function writtenBy(m: Manifest): WrittenSegments {
  return new Map(m.segments.map((s) => [s.fp, { file: s.file, bytes: s.bytes }]));
}

/**
 * Writes the files of `snap` not yet on disk, then the state, then the manifest (the commit).
 * `written` is updated with the new segment files. Returns the committed manifest.
 */
export async function writeGeneration(
  dir: string,
  snap: SnapshotShape,
  o: { generation: number; store: StoreSignature; written: WrittenSegments; tables?: StateTables; merged?: (seg: SegmentShape) => boolean },
): Promise<Manifest> {
  const { segments, ...rest } = snap;
  const refs: Manifest['segments'] = [];
  const seen = new Set<string>();
  for (const seg of segments) {
    const fp = fingerprint(seg);
    if (seen.has(fp)) throw new Error(`segment ${seg.id} twice in one snapshot`);
    seen.add(fp);
    let at = o.written.get(fp);
    if (!at) {
      const file = `seg-${safe(seg.id)}-${tag()}.pbi`;
      const merged = o.merged?.(seg) ?? false;
      const bytes = await writeFileDurably(join(dir, file), encode('segment', toSections(seg)), {
        half: merged ? 'mid-merge-tmp' : 'mid-segment-tmp',
        beforeRename: 'after-segment-tmp',
      });
      at = { file, bytes };
      o.written.set(fp, at);
    }
    refs.push({ id: String(seg.id), fp, ...at, ...(seg.endDoc !== undefined ? { endDoc: seg.endDoc } : {}) });
  }
  const stateFile = `state-${o.generation}-${tag()}.pbi`;
  const reuse = { prefixes: o.tables ? await prefixesFrom(dir, rest, o.tables) : new Map<string, TablePrefix>(), made: new Map<string, StringTable>() };
  const layout = new Map<string, SectionPlace>();
  const stateBytes = await writeFileDurably(join(dir, stateFile), encode('state', toSections(rest, reuse), layout), { beforeRename: 'after-state-tmp' });
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    generation: o.generation,
    store: o.store,
    segments: refs,
    state: { file: stateFile, bytes: stateBytes },
    writtenAt: new Date().toISOString(),
  };
  await writeManifest(dir, manifest);
  fault('after-manifest-rename');
  if (o.tables) {
    o.tables.clear();
    for (const [path, t] of reuse.made) {
      const at = layout.get(`${path}#utf8`);
      if (at) o.tables.set(path, { ...t, file: stateFile, ...at });
    }
  }
  return manifest;
}
