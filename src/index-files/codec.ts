/**
 * Plain data with typed arrays in it (an index snapshot, one segment of it) to container sections
 * and back. The typed arrays become raw sections; everything else becomes one JSON skeleton where
 * each array stands as `{"$a": NAME}`. So this file does not know the snapshot's fields: a field
 * added to the snapshot is persisted without a change here (bump INDEX_FORMAT when meanings change).
 */
import { IndexFileError, reader, type Decoded, type Sections, type TypedArray } from './container.ts';

const SKELETON = '$skeleton';
/** String arrays at least this long (cards, ids, term dictionaries) are stored as a string table. */
const STRING_TABLE_MIN = 16;

/**
 * Many strings as one UTF-8 blob and their byte offsets: decoding each slice is about twice as
 * fast as JSON.parse of the same array, which for 100k cards is most of a restore.
 */
export interface StringTable {
  list: readonly string[];
  offs: Uint32Array<ArrayBuffer>;
}

/** The first `same` strings are those of the last write, whose bytes (`bytes`, read back from its file) are re-used. */
export interface TablePrefix {
  same: number;
  offs: Uint32Array;
  bytes: Uint8Array;
}

/**
 * How string tables are re-used between writes: per-doc strings change at the end (new papers,
 * recent upvotes), so a write of 100k cards encodes only the last few on the event loop and copies
 * the rest from the previous file (read asynchronously) instead of encoding it again.
 */
export interface TableReuse {
  /** In: prefixes by path. */
  prefixes: Map<string, TablePrefix>;
  /** Out: the tables made, by path. */
  made: Map<string, StringTable>;
}

/** How many leading strings `list` shares with `prev`. */
export function sharedPrefix(list: readonly string[], prev: readonly string[]): number {
  const n = Math.min(list.length, prev.length);
  let same = 0;
  while (same < n && list[same] === prev[same]) same++;
  return same;
}

function stringTable(list: readonly string[], prefix?: TablePrefix): [Uint8Array<ArrayBuffer>, Uint32Array<ArrayBuffer>] {
  const same = prefix ? Math.min(prefix.same, list.length) : 0;
  const offs = new Uint32Array(list.length + 1);
  if (prefix && same > 0) offs.set(prefix.offs.subarray(0, same + 1));
  let n = offs[same]!;
  for (let i = same; i < list.length; i++) {
    offs[i] = n;
    n += Buffer.byteLength(list[i]!, 'utf8');
  }
  offs[list.length] = n;
  const bytes = Buffer.allocUnsafeSlow(n);
  if (prefix && same > 0) bytes.set(prefix.bytes.subarray(0, offs[same]!));
  for (let i = same; i < list.length; i++) bytes.write(list[i]!, offs[i]!, offs[i + 1]! - offs[i]!, 'utf8');
  return [new Uint8Array(bytes.buffer, bytes.byteOffset, n), offs];
}

function fromStringTable(bytes: Uint8Array, offs: Uint32Array): string[] {
  const n = offs.length - 1;
  if (n < 0 || offs[n] !== bytes.length) throw new IndexFileError('a string table does not match its bytes');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = offs[i]!;
    const b = offs[i + 1]!;
    if (b < a) throw new IndexFileError('a string table has offsets out of order');
    out[i] = buf.toString('utf8', a, b);
  }
  return out;
}

function isTyped(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** Sections for `value`: its typed arrays by path, the rest as JSON (`reuse`: see TableReuse). */
export function toSections(value: unknown, reuse?: TableReuse): Sections {
  const sections: Sections = {};
  const walk = (v: unknown, path: string): unknown => {
    if (isTyped(v)) {
      sections[path] = v;
      return { $a: path };
    }
    if (Array.isArray(v)) {
      if (v.length >= STRING_TABLE_MIN && v.every((x) => typeof x === 'string')) {
        const [bytes, offs] = stringTable(v as string[], reuse?.prefixes.get(path));
        reuse?.made.set(path, { list: (v as string[]).slice(), offs });
        sections[`${path}#utf8`] = bytes;
        sections[`${path}#offs`] = offs;
        return { $s: path };
      }
      return v.map((x, i) => walk(x, `${path}.${i}`));
    }
    if (v !== null && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error(`cannot persist a ${(v as object).constructor?.name ?? 'class'} at ${path || 'the top'}: snapshots are plain data`);
      const out: Record<string, unknown> = {};
      // Keys starting with $ are escaped ($$...), so data can never read as a marker.
      for (const [k, x] of Object.entries(v)) out[k.startsWith('$') ? `$${k}` : k] = walk(x, path ? `${path}.${k}` : k);
      return out;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) };
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`cannot persist a ${typeof v} at ${path}`);
    return v;
  };
  const skeleton = walk(value, '');
  sections[SKELETON] = { json: skeleton };
  return sections;
}

/**
 * The value back from decoded sections. `copy`: arrays copied out of the file's buffer (mutable
 * state, and the buffer can then be freed); else views over it (immutable segments). `tables` gets
 * the string tables read, by path (so the next write can re-use their bytes).
 */
export function fromSections<T>(d: Decoded, copy: boolean, tables?: Map<string, StringTable>): T {
  const r = reader(d);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$a === 'string' && Object.keys(o).length === 1) {
        const a = d.sections.get(o.$a);
        if (!isTyped(a)) throw new IndexFileError(`section ${o.$a} missing`);
        return copy ? a.slice() : a;
      }
      if (typeof o.$n === 'string' && Object.keys(o).length === 1) return Number(o.$n);
      if (typeof o.$s === 'string' && Object.keys(o).length === 1) {
        const offs = r.array(`${o.$s}#offs`, 'u32');
        const list = fromStringTable(r.array(`${o.$s}#utf8`, 'u8'), offs);
        // A copy: the index takes the list as its own and changes entries in place.
        tables?.set(o.$s, { list: list.slice(), offs: offs.slice() });
        return list;
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k.startsWith('$$') ? k.slice(1) : k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(r.json(SKELETON)) as T;
}
