/** readCorpus on real files written to a temp dir: plain, gzipped, CRLF, malformed, corrupt. */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/model/errors.ts';
import { countCorpusLines, readCorpus, type CorpusLine } from '../../src/import/index.ts';
import { loadFixtureDays } from '../support/hf-stand-in.ts';

let dir: string;
const items = loadFixtureDays().get('2026-06-24')!.slice(0, 3);
const good = items.map((item) => JSON.stringify({ date: '2026-06-24', item }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-read-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function all(path: string): Promise<CorpusLine[]> {
  const out: CorpusLine[] = [];
  for await (const l of readCorpus(path)) out.push(l);
  return out;
}

describe('readCorpus', () => {
  it('reads plain and gzipped files alike, whatever their names say', async () => {
    const text = good.join('\n') + '\n';
    await writeFile(join(dir, 'a.jsonl'), text);
    await writeFile(join(dir, 'a.jsonl.gz'), gzipSync(text));
    await writeFile(join(dir, 'gz-named-plain.jsonl'), gzipSync(text));
    for (const name of ['a.jsonl', 'a.jsonl.gz', 'gz-named-plain.jsonl']) {
      const lines = await all(join(dir, name));
      expect(lines).toEqual(items.map((item, i) => ({ ok: true, line: i + 1, date: '2026-06-24', item })));
    }
  });

  it('handles CRLF, blank lines and a last line without newline', async () => {
    await writeFile(join(dir, 'crlf.jsonl'), `${good[0]}\r\n\r\n   \r\n${good[1]}`);
    const lines = await all(join(dir, 'crlf.jsonl'));
    expect(lines.map((l) => [l.ok, l.line])).toEqual([[true, 1], [true, 4]]);
    expect(await countCorpusLines(join(dir, 'crlf.jsonl'))).toBe(2);
  });

  it('yields malformed lines with their line number and a reason, never throws', async () => {
    const bad = ['not json', '[1,2]', '"text"', '{"date":"24-06-2026","item":{}}', '{"date":"2026-06-24","item":null}', '{"date":"2026-06-24"}', '{"date":"2026-06-24","item":{"paper":', '\u0000\u0001'];
    await writeFile(join(dir, 'bad.jsonl'), [good[0], ...bad, good[1]].join('\n'));
    const lines = await all(join(dir, 'bad.jsonl'));
    expect(lines.filter((l) => l.ok).map((l) => l.line)).toEqual([1, 10]);
    expect(lines.filter((l) => !l.ok)).toEqual([
      { ok: false, line: 2, error: 'not valid JSON' },
      { ok: false, line: 3, error: 'not a JSON object' },
      { ok: false, line: 4, error: 'not a JSON object' },
      { ok: false, line: 5, error: '"date" is not YYYY-MM-DD' },
      { ok: false, line: 6, error: '"item" is not an object' },
      { ok: false, line: 7, error: '"item" is not an object' },
      { ok: false, line: 8, error: 'not valid JSON' },
      { ok: false, line: 9, error: 'not valid JSON' },
    ]);
  });

  it('says clearly when the file is missing or a directory', async () => {
    for (const [path, why] of [[join(dir, 'nope.jsonl.gz'), 'no such file'], [dir, 'directory']] as const) {
      const e = await all(path).then(() => undefined, (err: unknown) => err);
      expect(isPaperboyError(e) && e.code).toBe('not_found');
      expect((e as Error).message).toContain(path);
      expect((e as Error).message).toContain(why);
    }
  });

  it('reports a corrupt gzip stream as a clear error after the lines it could read', async () => {
    const gz = gzipSync(good.join('\n') + '\n' + 'x'.repeat(100_000));
    await writeFile(join(dir, 'cut.jsonl.gz'), gz.subarray(0, gz.length - 20));
    const seen: CorpusLine[] = [];
    const e = await (async () => {
      for await (const l of readCorpus(join(dir, 'cut.jsonl.gz'))) seen.push(l);
    })().then(() => undefined, (err: unknown) => err);
    expect(isPaperboyError(e)).toBe(true);
    expect((e as Error).message).toMatch(/Cannot read corpus file .*cut\.jsonl\.gz after line \d+: .+/);
    expect(seen.filter((l) => l.ok)).toHaveLength(3);
  });

  it('stops reading when the consumer stops early', async () => {
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'sub', 'many.jsonl'), Array.from({ length: 1000 }, () => good[0]).join('\n'));
    let n = 0;
    for await (const l of readCorpus(join(dir, 'sub', 'many.jsonl'))) {
      expect(l.ok).toBe(true);
      if (++n === 5) break;
    }
    expect(n).toBe(5);
  });
});
