/**
 * Writes a state view as the store's JSON file, a few hundred records at a time with an await in
 * between, so the event loop keeps answering commands while a large store is compacted (one
 * JSON.stringify of a 150 MB store blocked it for 19 s in bench/store-json.ts). Atomic like steno:
 * a temp file in the same directory, fsync'ed, renamed over the target once complete, and the
 * folder fsync'ed after the rename (durable.ts).
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import { replaceDurably, writeFully } from './durable.ts';
import { SCHEMA_VERSION } from '../memory/schema.ts';
import type { StateView } from '../memory/state.ts';
import { tempBeside } from './paths.ts';

const CHUNK = 500;

async function writeAll(h: FileHandle, text: string): Promise<number> {
  const buf = Buffer.from(text);
  await writeFully(h, buf);
  return buf.length;
}

/** Writes `view` to `file`; returns the bytes written. */
export async function writeSnapshot(file: string, view: StateView): Promise<number> {
  const tmp = tempBeside(file);
  const h = await open(tmp, 'w');
  try {
    let bytes = await writeAll(h, `{"version":${SCHEMA_VERSION},"seq":${view.seq}`);
    const section = async <V>(name: string, entries: [string, V][], value: (v: V) => unknown) => {
      bytes += await writeAll(h, `,\n"${name}":{`);
      for (let i = 0; i < entries.length; i += CHUNK) {
        let text = '';
        for (let j = i; j < Math.min(i + CHUNK, entries.length); j++) {
          const [k, v] = entries[j]!;
          text += `${j === 0 ? '' : ','}\n${JSON.stringify(k)}:${JSON.stringify(value(v))}`;
        }
        bytes += await writeAll(h, text);
      }
      bytes += await writeAll(h, '}');
    };
    // No papers: they live in the paper log beside the file.
    await section('fetchedDays', view.fetchedDays, (d) => d);
    await section('destinations', view.destinations, (d) => d);
    await section('digests', view.digests, (m) => Object.fromEntries(m));
    await section('delivered', view.delivered, (s) => [...s]);
    await section('saved', view.saved, (m) => Object.fromEntries(m));
    bytes += await writeAll(h, '}\n');
    // On disk before it takes the name: a power cut never leaves the name on a half-written file.
    await h.sync();
    await h.close();
    await replaceDurably(tmp, file);
    return bytes;
  } catch (e) {
    await h.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
}
