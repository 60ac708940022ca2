/**
 * Streams a corpus file (`{"date": "YYYY-MM-DD", "item": {...}}` per line), plain `.jsonl` or
 * gzipped, without loading it whole. Gzip is recognised by its magic bytes, not the name.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { PaperboyError } from '../core/model/errors.ts';

export type CorpusLine =
  | { ok: true; line: number; date: string; item: unknown }
  /** A line that is not a corpus entry; `error` says why. */
  | { ok: false; line: number; error: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function unreadable(path: string, e: unknown): PaperboyError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new PaperboyError('not_found', `Cannot read corpus file ${path}: ${why}.`, undefined, { cause: e });
}

async function isGzip(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    // A directory opens fine on Linux; reading it fails with EISDIR.
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch (e) {
    throw unreadable(path, e);
  } finally {
    await fh?.close();
  }
}

async function openLines(path: string): Promise<{ input: Readable; lines: AsyncIterable<string> }> {
  const gz = await isGzip(path);
  const file = createReadStream(path);
  const input: Readable = gz ? file.pipe(createGunzip()) : file;
  // pipe() does not forward errors: a read error on the file must end the gunzip stream too.
  if (gz) file.on('error', (e) => input.destroy(e));
  return { input, lines: createInterface({ input, crlfDelay: Infinity }) };
}

function parseLine(text: string, line: number): CorpusLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, line, error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, line, error: 'not a JSON object' };
  }
  const { date, item } = value as { date?: unknown; item?: unknown };
  if (typeof date !== 'string' || !DAY.test(date)) return { ok: false, line, error: '"date" is not YYYY-MM-DD' };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, line, error: '"item" is not an object' };
  return { ok: true, line, date, item };
}

/** Yields every non-blank line, parsed; malformed lines are yielded with `ok: false`, never thrown. */
export async function* readCorpus(path: string): AsyncGenerator<CorpusLine> {
  const { input, lines } = await openLines(path);
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      yield parseLine(text, line);
    }
  } catch (e) {
    if (e instanceof PaperboyError) throw e;
    throw new PaperboyError('usage', `Cannot read corpus file ${path} after line ${line}: ${(e as Error).message}.`, undefined, { cause: e });
  } finally {
    input.destroy();
  }
}

/** Counts the non-blank lines (a fast pass, no JSON parsing), for a progress total. */
export async function countCorpusLines(path: string): Promise<number> {
  const { input, lines } = await openLines(path);
  let n = 0;
  try {
    for await (const text of lines) if (text.trim()) n++;
  } catch (e) {
    throw new PaperboyError('usage', `Cannot read corpus file ${path}: ${(e as Error).message}.`, undefined, { cause: e });
  } finally {
    input.destroy();
  }
  return n;
}
