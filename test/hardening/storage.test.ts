/**
 * A damaged store file stops start-up (and every other command) with a message naming the file and
 * the restore command, and is never overwritten; `paperboy restore` puts the last good backup back
 * and the bot starts on it. Real CLI child processes on real files.
 */
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { openJsonStore, storeFiles } from '../../src/store/index.ts';
import { loadDay } from '../core/commands/support.ts';
import { runCli, tempDir } from '../cli/run-cli.ts';

const settings = { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };

/** A store with real papers and a followed topic, opened twice so a last good backup exists. */
async function goodStore(dir: string): Promise<string> {
  const path = join(dir, 'paperboy.json');
  let store = await openJsonStore(path, { logger: silentLogger });
  await store.upsertPapers(loadDay('2026-06-24'));
  const d = await store.ensureDestination({ platform: 'shell', kind: 'user', id: 'local' }, settings);
  await store.addTopic(d.key, 'diffusion', 25);
  await store.close();
  store = await openJsonStore(path, { logger: silentLogger });
  await store.addTopic(d.key, 'agents', 25);
  await store.close();
  return path;
}

const damages: { name: string; harm(path: string): Promise<void>; says: RegExp }[] = [
  { name: 'truncated mid-way', harm: async (p) => truncate(p, Math.floor((await stat(p)).size / 2)), says: /not valid JSON/ },
  { name: 'overwritten with garbage', harm: (p) => writeFile(p, '\u0000\u0001garbage{{{'), says: /not valid JSON/ },
  { name: 'emptied', harm: (p) => truncate(p, 0), says: /empty \(0 bytes\)/ },
  { name: 'valid JSON but not a store', harm: (p) => writeFile(p, '{"hello":"world"}'), says: /damaged/ },
];

describe('a damaged store file', { timeout: 240_000 }, () => {
  for (const [i, dmg] of damages.entries()) {
    it(`${dmg.name}: start-up and commands stop naming the file and "paperboy restore"; restore brings the backup back`, async () => {
      const dir = tempDir('pb-damage-');
      const path = await goodStore(dir);
      const files = storeFiles(path);
      await stat(files.backup);
      await dmg.harm(path);
      const damaged = await readFile(path);
      const env = { DATABASE_URL: `file:${path}` };

      // Every command opens the store the same way: all of them once, then start-up only (child processes are slow).
      for (const args of i === 0 ? [['start'], ['search', 'diffusion'], ['doctor']] : [['start']]) {
        const r = await runCli(args, { env, cwd: dir, input: '' });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
        const said = `${r.stdout}\n${r.stderr}`;
        expect(said).toContain(files.main);
        expect(said).toMatch(dmg.says);
        expect(said).toContain('paperboy restore');
        expect(said).not.toMatch(/^\s+at /m); // a message, not a stack trace
        // Never overwritten, least of all with an empty store.
        expect(await readFile(path)).toEqual(damaged);
      }

      const restored = await runCli(['restore'], { env, cwd: dir });
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/^Restored .*paperboy\.json from .*paperboy\.json\.bak: \d+ papers, 1 destinations\./m);
      expect(restored.stdout).toMatch(/Kept the replaced file as .*before-restore/);

      const search = await runCli(['search', 'diffusion', '--json'], { env, cwd: dir });
      expect(search.code, search.stderr).toBe(0);
      const store = await openJsonStore(path, { logger: silentLogger });
      try {
        expect((await store.countPapers())).toBeGreaterThan(0);
        expect((await store.getDestination('shell:user:local'))?.settings.topics).toContain('diffusion');
      } finally {
        await store.close();
      }
    });
  }
});
