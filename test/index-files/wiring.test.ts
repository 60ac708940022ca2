/** The app's wiring keeps the index in its folder: a second start restores it, and what a fetch adds is written by close. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { indexDirFor, readManifest } from '../../src/index-files/index.ts';
import { indexPapers } from '../../src/schedule/fetch.ts';
import { buildCoreDeps } from '../../src/wiring.ts';
import { recordingLogger } from '../core/sources/hf/recording-logger.ts';
import { tempDir } from '../store/temp-dir.ts';
import { corpusPapers, indexDir, openStoreIn, storePath } from './support.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
afterEach(() => tmp?.remove());

describe('the wiring', () => {
  it('restores the index beside the JSON store, and writes what the fetch path added when the store closes', async () => {
    tmp = await tempDir('paperboy-index-wiring-');
    const store = await openStoreIn(tmp.dir);
    await store.upsertPapers(await corpusPapers(0, 600));
    await store.close();
    const config = loadConfig({ DATABASE_URL: `file:${storePath(tmp.dir)}` }, { envFile: '' });

    const log1 = recordingLogger();
    const first = await buildCoreDeps(config, { logger: log1 });
    expect(log1.entries.map((e) => e.msg)).toContain('search index rebuilt from the store: no index on disk yet');
    const fetched = await corpusPapers(600, 650);
    await first.store.upsertPapers(fetched);
    indexPapers(first, fetched);
    await first.store.close();
    const m = await readManifest(indexDir(tmp.dir));
    expect('manifest' in m && m.manifest.store.count).toBe(650);

    const log2 = recordingLogger();
    const second = await buildCoreDeps(config, { logger: log2 });
    try {
      expect(log2.entries.find((e) => e.msg === 'search index restored from disk')?.obj).toMatchObject({ papers: 650, caughtUp: 0 });
      expect(second.index.search(fetched[3]!.title, { limit: 5 }).hits.map((h) => h.paper.id)).toContain(fetched[3]!.id);
    } finally {
      await second.store.close();
    }
  });

  it('keeps no folder with PostgreSQL unless INDEX_DIR names one, and uses INDEX_DIR when set', () => {
    expect(indexDirFor('postgres://u@127.0.0.1/db')).toBeUndefined();
    expect(indexDirFor('postgres://u@127.0.0.1/db', '/var/cache/paperboy')).toBe('/var/cache/paperboy');
    expect(indexDirFor('file:./data/paperboy.json')).toBe(join(process.cwd(), 'data', 'index'));
    expect(loadConfig({ INDEX_DIR: '/tmp/x' }, { envFile: '' }).indexDir).toBe('/tmp/x');
  });
});
