/**
 * Kills a process that is writing to the JSON store with SIGKILL at random points, many times
 * over one file: after each kill the file must load and hold every change that was acknowledged.
 * PAPERBOY_SOAK=1 runs 50 rounds, otherwise 8.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { openJsonStore } from '../../src/store/index.ts';
import { tempDir } from './temp-dir.ts';

const ROUNDS = process.env.PAPERBOY_SOAK === '1' ? 50 : 8;
const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

type Ack =
  | { k: 'ready' | 'done' }
  | { k: 'topic'; key: string; topic: string }
  | { k: 'day'; day: string; count: number }
  | { k: 'paper'; id: string; upvotes: number }
  | { k: 'claim'; key: string; day: string }
  | { k: 'sent'; key: string; day: string; ids: string[] }
  | { k: 'state'; key: string; value: number };

/** Runs the writer until it has acknowledged `killAfter` changes, then SIGKILLs it. */
function runAndKill(path: string, round: number, killAfter: number): Promise<{ acks: Ack[]; killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let changes = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const a = JSON.parse(buf.slice(0, nl)) as Ack;
        buf = buf.slice(nl + 1);
        acks.push(a);
        if (a.k !== 'ready' && a.k !== 'done') changes++;
        if ((a.k === 'ready' && killAfter === 0) || changes === killAfter) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acks, killed: signal === 'SIGKILL', stderr }));
  });
}

describe('JSON store under SIGKILL', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('paperboy-crash-');
  });
  afterAll(() => tmp.remove());

  it(`keeps every acknowledged change through ${ROUNDS} kills`, { timeout: ROUNDS * 20_000 }, async () => {
    const path = join(tmp.dir, 'paperboy.json');
    const all: Ack[] = [];
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Kill points range from "right after start-up" to a few thousand changes (several compactions).
      const killAfter = round % 4 === 0 ? Math.floor(Math.random() * 5) : 1 + Math.floor(Math.random() * 3000);
      const t0 = Date.now();
      const r = await runAndKill(path, round, killAfter);
      const t1 = Date.now();
      expect(r.stderr, `round ${round}: writer failed`).toBe('');
      expect(r.killed, `round ${round}: writer was not killed (kill after ${killAfter})`).toBe(true);
      killed++;
      all.push(...r.acks);

      const store = await openJsonStore(path, { logger: silentLogger });
      try {
        const missing: string[] = [];
        const maxState = new Map<string, number>();
        const days = await store.fetchedDays();
        for (const a of all) {
          switch (a.k) {
            case 'topic':
              if (!(await store.getDestination(a.key))?.settings.topics.includes(a.topic)) missing.push(`topic ${a.topic}`);
              break;
            case 'day':
              if (days.get(a.day)?.count !== a.count) missing.push(`day ${a.day}`);
              break;
            case 'paper':
              if ((await store.getPaper(a.id))?.upvotes !== a.upvotes) missing.push(`paper ${a.id}`);
              break;
            case 'claim':
              if ((await store.digestStatus(a.key, a.day)) === undefined) missing.push(`claim ${a.key} ${a.day}`);
              break;
            case 'sent':
              if ((await store.digestStatus(a.key, a.day)) !== 'sent') missing.push(`sent ${a.key} ${a.day}`);
              if ((await store.deliveredPapers(a.key, a.ids)).size !== a.ids.length) missing.push(`delivered ${a.ids.join(',')}`);
              break;
            case 'state':
              break; // later rounds overwrite it: checked below for this round only
          }
        }
        for (const a of r.acks) if (a.k === 'state') maxState.set(a.key, Math.max(maxState.get(a.key) ?? -1, a.value));
        // Changes are applied and written in call order, so the stored value is at least the last acknowledged one.
        for (const [key, v] of maxState) {
          if (((await store.getDestination(key))?.state.lastRunPapers ?? -1) < v) missing.push(`state ${key} >= ${v}`);
        }
        expect(missing, `round ${round}: acknowledged changes lost after SIGKILL`).toEqual([]);
        for (const d of await store.listDestinations()) expect(new Set(d.settings.topics).size).toBe(d.settings.topics.length);
      } finally {
        await store.close();
      }
      if (process.env.CRASH_DEBUG) console.log(round, killAfter, r.acks.length, t1 - t0, Date.now() - t1);
    }
    expect(killed).toBe(ROUNDS);
    expect(all.filter((a) => a.k !== 'ready').length).toBeGreaterThan(ROUNDS);
  });
});
