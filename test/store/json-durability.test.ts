/**
 * Durable on power loss: the JSON store's system calls, seen by strace on a real child process.
 * Every acknowledged journal append is fdatasync'ed before the caller hears of it; a snapshot is
 * fsync'ed before it is renamed over the JSON file, and the folder is fsync'ed after the rename.
 * (Without strace on the machine the suite says so and skips.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const WRITER = fileURLToPath(new URL('./fixtures/durable-writer.ts', import.meta.url));
const hasStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasStrace) console.warn('json-durability: strace is not installed; the fsync order of the JSON store is not checked here.');

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!hasStrace)('JSON store durability (strace)', () => {
  it('fdatasyncs each acknowledged append (journal and paper file), fsyncs the snapshot and the rewritten paper file before their renames and the folder after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-durable-'));
    dirs.push(dir);
    const file = join(dir, 'paperboy.json');
    const trace = join(dir, 'trace.txt');
    const run = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,write,pwrite64', '-o', trace, process.execPath, '--import', 'tsx', WRITER, file], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['ack 0', 'ack 1', 'ack 2', 'ack 3', 'ack 4', 'paper ack 0', 'paper ack 1', 'paper ack 2', 'compacted', 'papers compacted']);
    const lines = (await readFile(trace, 'utf8')).split('\n');
    const journal = `${file}.journal`;
    const isJournalWrite = (l: string) => /\b(p?write(64)?)\(\d+</.test(l) && l.includes(`<${journal}>`);
    const isJournalSync = (l: string) => /\bfdatasync\(\d+</.test(l) && l.includes(`<${journal}>`);
    const ackAt = (n: number) => lines.findIndex((l) => /\bwrite\(1</.test(l) && l.includes(`"ack ${n}\\n"`));

    // Between a journal write and the ack that follows it there is an fdatasync of the journal.
    let checked = 0;
    for (let n = 0; n < 5; n++) {
      const ack = ackAt(n);
      expect(ack, `ack ${n} in the trace`).toBeGreaterThan(0);
      const lastWrite = lines.slice(0, ack).findLastIndex(isJournalWrite);
      expect(lastWrite, `a journal write before ack ${n}`).toBeGreaterThanOrEqual(0);
      const synced = lines.slice(lastWrite, ack).some(isJournalSync);
      expect(synced, `fdatasync of the journal between its write and ack ${n}`).toBe(true);
      checked++;
    }
    expect(checked).toBe(5);

    // The same for papers: each write to the paper file is fdatasync'ed before its ack.
    const papers = `${file}.papers`;
    for (let n = 0; n < 3; n++) {
      const ack = lines.findIndex((l) => /\bwrite\(1</.test(l) && l.includes(`"paper ack ${n}\\n"`));
      expect(ack, `paper ack ${n} in the trace`).toBeGreaterThan(0);
      const lastWrite = lines.slice(0, ack).findLastIndex((l) => /\b(p?write(64)?)\(\d+</.test(l) && l.includes(`<${papers}>`));
      expect(lastWrite, `a paper file write before paper ack ${n}`).toBeGreaterThanOrEqual(0);
      expect(lines.slice(lastWrite, ack).some((l) => /\bfdatasync\(\d+</.test(l) && l.includes(`<${papers}>`)), `fdatasync of the paper file before paper ack ${n}`).toBe(true);
    }
    // The paper file's rewrite: its temp file fsync'ed before the rename over the log, the folder after.
    const paperRename = lines.findIndex((l) => /\brename(at2?)?\(/.test(l) && l.includes(`"${papers}.tmp"`) && l.includes(`"${papers}"`));
    expect(paperRename, 'the paper file rename').toBeGreaterThan(0);
    expect(lines.slice(0, paperRename).some((l) => /\bfsync\(\d+</.test(l) && l.includes(`<${papers}.tmp>`)), 'fsync of the rewritten paper file before its rename').toBe(true);
    expect(lines.slice(paperRename).some((l) => /\bfsync\(\d+</.test(l) && l.includes(`<${dir}>`)), 'fsync of the folder after the paper file rename').toBe(true);

    // The snapshot: fsync of the temp file, then its rename over the JSON file, then fsync of the folder.
    const rename = lines.findIndex((l) => /\brename(at2?)?\(/.test(l) && l.includes(`"${file}"`) && l.includes('.tmp'));
    expect(rename, 'the snapshot rename').toBeGreaterThan(0);
    const tmp = /"([^"]*\.tmp)"/.exec(lines[rename]!)![1]!;
    expect(lines.slice(0, rename).some((l) => /\bfsync\(\d+</.test(l) && l.includes(`<${tmp}>`)), 'fsync of the snapshot before its rename').toBe(true);
    expect(lines.slice(rename).some((l) => /\bfsync\(\d+</.test(l) && l.includes(`<${dir}>`)), 'fsync of the folder after the rename').toBe(true);
  }, 150_000);
});
