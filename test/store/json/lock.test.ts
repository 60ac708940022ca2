/**
 * One writer per store file: within a process by path, across processes by a lock file holding the
 * owner's pid, taken over only from a process that is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquire, heldBy, isOpenHere, release } from '../../../src/store/json/lock.ts';
import { waitFor } from '../../support/wait.ts';
import { tempDir } from '../temp-dir.ts';

const CHILD = fileURLToPath(new URL('./lock-child.ts', import.meta.url));

let tmp: Awaited<ReturnType<typeof tempDir>>;
let main: string;
let lockFile: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  tmp = await tempDir('paperboy-lock-');
  main = join(tmp.dir, 'paperboy.json');
  lockFile = `${main}.lock`;
});
afterEach(async () => {
  await release(main, lockFile);
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await tmp.remove();
});

/** A live process that is not this one (its pid goes into lock files). */
function otherProcess(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

const exists = (f: string) => stat(f).then(() => true, () => false);

describe('store lock', () => {
  it('writes this pid into the lock file and removes it on release', async () => {
    expect(isOpenHere(main)).toBe(false);
    await acquire(main, lockFile);
    expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
    expect(isOpenHere(main)).toBe(true);
    // Its own lock is not "held by another process".
    expect(await heldBy(lockFile)).toBeUndefined();
    await release(main, lockFile);
    expect(await exists(lockFile)).toBe(false);
    expect(isOpenHere(main)).toBe(false);
    await release(main, lockFile); // twice: harmless
  });

  it('refuses a second open in the same process, and that refusal leaves the first lock in place', async () => {
    await acquire(main, lockFile);
    await expect(acquire(main, lockFile)).rejects.toThrow(/already open in this process/);
    expect(isOpenHere(main)).toBe(true);
    expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('refuses a store locked by a live process, naming its pid and what to do; takes it over once that process is gone', async () => {
    const other = otherProcess();
    await writeFile(lockFile, `${other.pid}\n`);
    const err = await acquire(main, lockFile).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'store', message: `The store ${main} is in use by another Paperboy process (pid ${other.pid}).` });
    expect((err as { hint?: string }).hint).toMatch(/Stop that process first.*delete .*\.lock/);
    expect(isOpenHere(main)).toBe(false);
    expect(await heldBy(lockFile)).toBe(other.pid);
    expect(await readFile(lockFile, 'utf8')).toBe(`${other.pid}\n`); // not touched

    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    expect(await heldBy(lockFile)).toBeUndefined();
    await acquire(main, lockFile);
    expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('takes over a lock file a crash left: dead pid, empty, garbage, negative, zero', async () => {
    const dead = otherProcess();
    const deadPid = dead.pid!;
    dead.kill('SIGKILL');
    await new Promise((r) => dead.once('exit', r));
    for (const content of [`${deadPid}\n`, '', 'not a pid', '-1\n', '0\n', `${process.pid}\n`]) {
      await writeFile(lockFile, content);
      expect(await heldBy(lockFile)).toBeUndefined();
      await acquire(main, lockFile);
      expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
      await release(main, lockFile);
    }
    expect(await heldBy(join(tmp.dir, 'no-such.lock'))).toBeUndefined();
  });

  /** Starts racers, lets them try at once, returns their answers ('won' / 'lost ...') and the winner's pid. */
  async function race(N: number): Promise<{ answers: string[]; winners: number[]; finish: () => void }> {
    const racers = Array.from({ length: N }, () => {
      const c = spawn(process.execPath, ['--import', 'tsx', CHILD, main, lockFile], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(c);
      const out: string[] = [];
      c.stdout!.setEncoding('utf8').on('data', (s: string) => out.push(...s.split('\n').filter(Boolean)));
      c.stderr!.on('data', (b: Buffer) => out.push(`stderr ${b.toString()}`));
      return { c, out };
    });
    await waitFor(() => racers.every((r) => r.out.includes('ready')), { what: `${N} lock racers started`, timeoutMs: 45_000, detail: () => JSON.stringify(racers.map((r) => r.out)) });
    for (const r of racers) r.c.stdin!.write('go\n');
    await waitFor(() => racers.every((r) => r.out.length >= 2), { what: 'every racer answered', timeoutMs: 10_000, detail: () => JSON.stringify(racers.map((r) => r.out)) });
    return {
      answers: racers.map((r) => r.out[1]!),
      winners: racers.filter((r) => r.out[1] === 'won').map((r) => r.c.pid!),
      finish: () => racers.forEach((r) => r.c.stdin!.end()),
    };
  }

  for (const stale of [false, true]) {
    it(`of several processes racing for one store${stale ? ' a dead process left locked' : ''}, exactly one gets it`, { timeout: 60_000 }, async () => {
      if (stale) {
        const dead = otherProcess();
        dead.kill('SIGKILL');
        await new Promise((r) => dead.once('exit', r));
        await writeFile(lockFile, `${dead.pid}\n`);
      }
      const { answers, winners, finish } = await race(6);
      try {
        expect(winners, JSON.stringify(answers)).toHaveLength(1);
        expect(await readFile(lockFile, 'utf8')).toBe(`${winners[0]}\n`);
        for (const a of answers.filter((x) => x !== 'won')) expect(a).toMatch(new RegExp(`in use by another Paperboy process \\(pid ${winners[0]}\\)`));
        expect(await exists(`${lockFile}.takeover`)).toBe(false);
      } finally {
        finish();
      }
    });
  }
});
