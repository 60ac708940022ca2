/**
 * The binary file every index file is: a fixed preamble, a small JSON table naming the sections,
 * then each section's raw bytes (typed arrays as they lie in memory, 8-byte aligned), each with its
 * length and CRC-32. Loading reads the file into one Buffer and makes typed-array views over it:
 * nothing in the postings is parsed. Byte order is the machine's; a file written on a machine of the
 * other order is refused (the byte-order mark reads reversed), never reinterpreted.
 *
 * Preamble (32 bytes): "PBIX", format version, byte-order mark, table length, table CRC, reserved,
 * total file length (two u32). Section offsets count from the end of the (padded) table. A short,
 * long or altered file fails a length or CRC check.
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 'PBIX';
export const FORMAT_VERSION = 1;
const BOM = 0x01020304;
const PREAMBLE = 32;
const ALIGN = 8;

const TYPES = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f64: Float64Array,
} as const;
export type ArrayType = keyof typeof TYPES;
export type TypedArray = InstanceType<(typeof TYPES)[ArrayType]>;

/** A section: a typed array as is, or any JSON value (small parts: names, dictionaries, scalars). */
export type Section = TypedArray | { json: unknown };
export type Sections = Record<string, Section>;

interface TableEntry {
  name: string;
  type: ArrayType | 'json';
  offset: number;
  bytes: number;
  crc: number;
}

interface Table {
  kind: string;
  sections: TableEntry[];
}

/** What is wrong with a file, in a few words ("short file", "CRC mismatch in text.docs"). */
export class IndexFileError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'IndexFileError';
  }
}

function typeOf(a: TypedArray): ArrayType {
  for (const [k, C] of Object.entries(TYPES)) if (a instanceof C) return k as ArrayType;
  throw new Error(`unsupported array type ${(a as object).constructor.name}`);
}

const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;
const ZEROS = Buffer.alloc(ALIGN);
const bytesOf = (a: TypedArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * The file's bytes as a list of buffers (typed arrays are not copied), ready for one writev.
 * `layout`, when given, gets where each section lies in the file and its CRC.
 */
export function encode(kind: string, sections: Sections, layout?: Map<string, SectionPlace>): Buffer[] {
  const bodies: { name: string; type: ArrayType | 'json'; data: Buffer }[] = [];
  for (const [name, s] of Object.entries(sections)) {
    if ('json' in s && !ArrayBuffer.isView(s)) bodies.push({ name, type: 'json', data: Buffer.from(JSON.stringify(s.json) ?? 'null') });
    else bodies.push({ name, type: typeOf(s as TypedArray), data: bytesOf(s as TypedArray) });
  }
  // Offsets count from the data start (after the table), so the table's own length does not move them.
  let rel = 0;
  const entries: TableEntry[] = bodies.map((b) => {
    const e = { name: b.name, type: b.type, offset: rel, bytes: b.data.length, crc: crc32(b.data) };
    rel += b.data.length + pad(b.data.length);
    return e;
  });
  const table = Buffer.from(JSON.stringify({ kind, sections: entries } satisfies Table));
  const base = PREAMBLE + table.length + pad(table.length);
  for (const e of entries) layout?.set(e.name, { offset: base + e.offset, bytes: e.bytes, crc: e.crc });
  const total = base + rel;
  const pre = Buffer.alloc(PREAMBLE);
  pre.write(MAGIC, 0, 'latin1');
  const u32 = new Uint32Array(pre.buffer, pre.byteOffset, PREAMBLE / 4);
  u32[1] = FORMAT_VERSION;
  u32[2] = BOM;
  u32[3] = table.length;
  u32[4] = crc32(table);
  u32[6] = total % 2 ** 32;
  u32[7] = Math.floor(total / 2 ** 32);
  const out: Buffer[] = [pre, table, ZEROS.subarray(0, pad(table.length))];
  for (const b of bodies) out.push(b.data, ZEROS.subarray(0, pad(b.data.length)));
  return out.filter((b) => b.length > 0);
}

export interface SectionPlace {
  offset: number;
  bytes: number;
  crc: number;
}

export interface Decoded {
  kind: string;
  sections: Map<string, TypedArray | { json: unknown }>;
  /** Where each section lies in the file. */
  layout: Map<string, SectionPlace>;
}

/**
 * Checks and opens a file's bytes: views over `buf` for arrays, parsed values for JSON sections.
 * Throws IndexFileError saying what is wrong.
 */
export function decode(buf: Buffer, expectKind?: string): Decoded {
  if (buf.length < PREAMBLE) throw new IndexFileError(`short file (${buf.length} bytes)`);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new IndexFileError('not an index file');
  // Views need aligned addresses; a small Buffer may sit at any offset of Node's pool.
  if (buf.byteOffset % ALIGN !== 0 || !(buf.buffer instanceof ArrayBuffer)) buf = Buffer.from(buf);
  const ab = buf.buffer as ArrayBuffer;
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, PREAMBLE / 4);
  if (u32[2] !== BOM) throw new IndexFileError(u32[2] === 0x04030201 ? 'written on a machine of the other byte order' : 'bad byte-order mark');
  if (u32[1] !== FORMAT_VERSION) throw new IndexFileError(`format ${u32[1]}, this version reads ${FORMAT_VERSION}`);
  const total = u32[6]! + u32[7]! * 2 ** 32;
  if (buf.length !== total) throw new IndexFileError(buf.length < total ? `short file (${buf.length} of ${total} bytes)` : `file longer than written (${buf.length} of ${total} bytes)`);
  const tableLen = u32[3]!;
  if (PREAMBLE + tableLen > total) throw new IndexFileError('table past the end');
  const tableBytes = buf.subarray(PREAMBLE, PREAMBLE + tableLen);
  if (crc32(tableBytes) !== u32[4]) throw new IndexFileError('CRC mismatch in the table');
  const table = JSON.parse(tableBytes.toString('utf8')) as Table;
  if (expectKind !== undefined && table.kind !== expectKind) throw new IndexFileError(`a ${table.kind} file where a ${expectKind} was expected`);
  const sections = new Map<string, TypedArray | { json: unknown }>();
  const layout = new Map<string, SectionPlace>();
  const base = PREAMBLE + tableLen + pad(tableLen);
  for (const e of table.sections) {
    const at = base + e.offset;
    layout.set(e.name, { offset: at, bytes: e.bytes, crc: e.crc });
    if (at % ALIGN !== 0 || at + e.bytes > total) throw new IndexFileError(`section ${e.name} out of bounds`);
    const data = buf.subarray(at, at + e.bytes);
    if (crc32(data) !== e.crc) throw new IndexFileError(`CRC mismatch in ${e.name}`);
    if (e.type === 'json') {
      sections.set(e.name, { json: JSON.parse(data.toString('utf8')) });
      continue;
    }
    const C = TYPES[e.type];
    if (!C || e.bytes % C.BYTES_PER_ELEMENT !== 0) throw new IndexFileError(`section ${e.name} has a bad type or length`);
    sections.set(e.name, new C(ab, buf.byteOffset + at, e.bytes / C.BYTES_PER_ELEMENT));
  }
  return { kind: table.kind, sections, layout };
}

/** Typed access to decoded sections; a missing or mistyped one is damage. */
export function reader(d: Decoded) {
  const get = (name: string) => {
    const s = d.sections.get(name);
    if (s === undefined) throw new IndexFileError(`section ${name} missing`);
    return s;
  };
  const array = <T extends ArrayType>(name: string, type: T): InstanceType<(typeof TYPES)[T]> => {
    const s = get(name);
    if (!(s instanceof TYPES[type])) throw new IndexFileError(`section ${name} is not ${type}`);
    return s as InstanceType<(typeof TYPES)[T]>;
  };
  const json = <T = unknown>(name: string): T => {
    const s = get(name);
    if (ArrayBuffer.isView(s)) throw new IndexFileError(`section ${name} is not JSON`);
    return (s as { json: T }).json;
  };
  return { array, json, has: (name: string) => d.sections.has(name) };
}
