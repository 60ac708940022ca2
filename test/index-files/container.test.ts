import { describe, expect, it } from 'vitest';
import { decode, encode, IndexFileError, reader } from '../../src/index-files/container.ts';

const sample = () => ({
  docs: Uint32Array.from([1, 5, 9, 4_000_000_000]),
  pos: Uint16Array.from([0, 1, 65535]),
  alive: Uint8Array.from([1, 0, 1]),
  start: Int32Array.from([-1, 0, 2 ** 31 - 1]),
  sums: Float64Array.from([0.5, 1e300, -0]),
  empty: new Uint32Array(0),
  meta: { json: { id: 's7', terms: ['ä', 'b\u0000c', '🙂'] } },
});

describe('index file container', () => {
  it('gives back every section, arrays as views over the one buffer, all aligned', () => {
    const buf = Buffer.concat(encode('segment', sample()));
    const d = decode(buf, 'segment');
    const r = reader(d);
    expect([...r.array('docs', 'u32')]).toEqual([1, 5, 9, 4_000_000_000]);
    expect([...r.array('pos', 'u16')]).toEqual([0, 1, 65535]);
    expect([...r.array('alive', 'u8')]).toEqual([1, 0, 1]);
    expect([...r.array('start', 'i32')]).toEqual([-1, 0, 2 ** 31 - 1]);
    expect([...r.array('sums', 'f64')]).toEqual([0.5, 1e300, -0]);
    expect(r.array('empty', 'u32').length).toBe(0);
    expect(r.json('meta')).toEqual({ id: 's7', terms: ['ä', 'b\u0000c', '🙂'] });
    const docs = r.array('docs', 'u32');
    expect(docs.buffer).toBe(buf.buffer);
    for (const name of ['docs', 'pos', 'alive', 'start', 'sums']) expect((d.sections.get(name) as Uint8Array).byteOffset % 8).toBe(0);
  });

  it('reads a buffer that sits at an odd offset of a bigger one', () => {
    const bytes = Buffer.concat(encode('state', sample()));
    const big = Buffer.alloc(bytes.length + 3);
    bytes.copy(big, 3);
    expect([...reader(decode(big.subarray(3))).array('sums', 'f64')]).toEqual([0.5, 1e300, -0]);
  });

  it('refuses a file cut short at any length, or with bytes after its end', () => {
    const buf = Buffer.concat(encode('segment', sample()));
    for (let n = 0; n < buf.length; n += 7) expect(() => decode(buf.subarray(0, n)), `cut at ${n}`).toThrow(IndexFileError);
    expect(() => decode(Buffer.concat([buf, Buffer.from([0])]))).toThrow(/longer than written/);
  });

  it('refuses a file with any single bit flipped', () => {
    const buf = Buffer.concat(encode('segment', sample()));
    let accepted = 0;
    for (let i = 0; i < buf.length; i++) {
      for (const bit of [0, 7]) {
        const bad = Buffer.from(buf);
        bad[i]! ^= 1 << bit;
        try {
          decode(bad, 'segment');
          // Padding bytes and the reserved word carry nothing; a flip there changes no section.
          const same = reader(decode(bad, 'segment'));
          expect([...same.array('docs', 'u32')]).toEqual([1, 5, 9, 4_000_000_000]);
          expect(same.json('meta')).toEqual(sample().meta.json);
          accepted++;
        } catch (e) {
          expect(e).toBeInstanceOf(IndexFileError);
        }
      }
    }
    // Only padding and the reserved word may flip unnoticed: a small share of the file.
    expect(accepted).toBeLessThan(buf.length / 4);
  });

  it('says so for a file of the other byte order, another format, another kind', () => {
    const buf = Buffer.concat(encode('segment', sample()));
    const other = Buffer.from(buf);
    other.writeUInt32LE(0x04030201, 8);
    expect(() => decode(other)).toThrow(/other byte order/);
    const v2 = Buffer.from(buf);
    v2.writeUInt32LE(99, 4);
    expect(() => decode(v2)).toThrow(/format 99/);
    expect(() => decode(buf, 'state')).toThrow(/segment file where a state/);
    expect(() => decode(Buffer.from('not an index file at all, longer than 32 bytes'))).toThrow(/not an index file/);
  });
});
