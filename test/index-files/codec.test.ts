import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/index-files/container.ts';
import { fromSections, toSections } from '../../src/index-files/codec.ts';

const roundTrip = <T>(v: T, copy = false): T => fromSections<T>(decode(Buffer.concat(encode('state', toSections(v)))), copy);

describe('snapshot codec', () => {
  it('keeps nested plain data, typed arrays and long string arrays as they were', () => {
    const strings = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? '' : `card ${i} ä — 🙂 \u0000 "q" \\`));
    const value = {
      version: 1,
      docs: { count: 3, ids: ['a', 'b', 'c'], cards: strings, alive: Uint8Array.from([1, 0, 1]), fieldEnd: Uint16Array.from([4, 5, 6]) },
      segments: [{ id: 'x-1', firstDoc: 0, endDoc: 3, text: { termStart: Int32Array.from([0, 2]), docs: Uint32Array.from([0, 2]) } }],
      lenSum: [1.5, 0, -2],
      days: [['2026-06-22', 3]],
      sums: Float64Array.from([Math.PI]),
      odd: { $a: 'not a marker', $$b: 1, inf: Infinity, nan: Number.NaN, nothing: null },
    };
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(back.docs.alive).toBeInstanceOf(Uint8Array);
    expect(back.segments[0]!.text.docs).toBeInstanceOf(Uint32Array);
  });

  it('copies arrays out of the file when asked, so the state can be written to', () => {
    const value = { a: Uint32Array.from([1, 2, 3]) };
    const bytes = Buffer.concat(encode('state', toSections(value)));
    const viewed = fromSections<typeof value>(decode(bytes), false);
    const copied = fromSections<typeof value>(decode(bytes), true);
    expect(viewed.a.buffer).toBe(bytes.buffer);
    expect(copied.a.buffer).not.toBe(bytes.buffer);
    expect([...copied.a]).toEqual([1, 2, 3]);
  });

  it('refuses what is not plain data rather than losing it', () => {
    expect(() => toSections({ m: new Map([[1, 2]]) })).toThrow(/cannot persist a Map at m/);
    expect(() => toSections({ f: () => 1 })).toThrow(/cannot persist a function at f/);
  });
});
