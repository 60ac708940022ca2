/**
 * Kills a process that is writing to the JSON store with SIGKILL at random points, many times
 * over one file: after each kill the file must load and hold every change that was acknowledged.
 * Most rounds are checked on a copy, so the next writer starts from what the kill left (snapshot,
 * segments, a journal with a torn tail) and its open is a recovery; some writers are killed during
 * that recovery, before they can compact. PAPERBOY_SOAK=1 runs 48 rounds, otherwise 12.
 */
import { spawn } from 'node:child_process';
import { cp, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { openJsonStore } from '../../src/store/index.ts';
import { testRng, type Rng } from '../support/seed.ts';
import { tempDir } from './temp-dir.ts';

const ROUNDS = process.env.PAPERBOY_SOAK === '1' ? 48 : 12;
const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const NO_COMPACTION = String(2 ** 40);

type Ack =
  | { k: 'opening' | 'ready' | 'done' }
  | { k: 'topic'; key: string; topic: string }
  | { k: 'day'; day: string; count: number }
  | { k: 'paper'; id: string; upvotes: number }
  | { k: 'claim'; key: string; day: string }
  | { k: 'sent'; key: string; day: string; ids: string[] }
  | { k: 'state'; key: string; value: number };

/** When to kill: after `changes` acknowledged changes, or `recoveryMs` after the store began to open (at the latest once it is open). */
type KillAt = { changes: number } | { recoveryMs: number };

interface Run {
  acks: Ack[];
  killed: boolean;
  stderr: string;
  /** The kill came before the store had finished opening. */
  duringOpen: boolean;
}

function runAndKill(path: string, round: number, seed: number, at: KillAt, compactAfter?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', writer, path, String(round), String(seed), ...(compactAfter ? [compactAfter] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let changes = 0;
    let opened = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const a = JSON.parse(buf.slice(0, nl)) as Ack;
        buf = buf.slice(nl + 1);
        acks.push(a);
        if (a.k === 'opening' && 'recoveryMs' in at) timer = setTimeout(kill, at.recoveryMs);
        if (a.k === 'ready') opened = true;
        if (a.k !== 'opening' && a.k !== 'ready' && a.k !== 'done') changes++;
        const due = 'recoveryMs' in at ? a.k === 'ready' : (a.k === 'ready' && at.changes === 0) || changes === at.changes;
        if (due) kill();
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acks, killed: signal === 'SIGKILL', stderr, duringOpen: !opened }));
  });
}

/** What the store must hold: every acknowledged change (and the last round's state values at least). */
async function lostChanges(path: string, all: Ack[], lastWrites: Ack[]): Promise<string[]> {
  const store = await openJsonStore(path, { logger: silentLogger });
  try {
    const missing: string[] = [];
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
        default:
          break; // state: later rounds overwrite it, checked below for the last round that wrote
      }
    }
    const maxState = new Map<string, number>();
    for (const a of lastWrites) if (a.k === 'state') maxState.set(a.key, Math.max(maxState.get(a.key) ?? -1, a.value));
    // Changes are applied and written in call order, so the stored value is at least the last acknowledged one.
    for (const [key, v] of maxState) {
      if (((await store.getDestination(key))?.state.lastRunPapers ?? -1) < v) missing.push(`state ${key} >= ${v}`);
    }
    for (const d of await store.listDestinations()) if (new Set(d.settings.topics).size !== d.settings.topics.length) missing.push(`topics of ${d.key} repeat`);
    return missing;
  } finally {
    await store.close();
  }
}

const bytesOf = (file: string) => readFile(file).catch(() => Buffer.alloc(0));

describe('JSON store under SIGKILL', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('paperboy-crash-');
  });
  afterAll(() => tmp.remove());

  it(`keeps every acknowledged change through ${ROUNDS} rounds of kills, some during recovery`, { timeout: ROUNDS * 20_000 }, async () => {
    const storeDir = join(tmp.dir, 'store');
    const path = join(storeDir, 'paperboy.json');
    const rng = testRng('JSON store crash test');
    const all: Ack[] = [];
    let lastWrites: Ack[] = [];
    const counts = { kills: 0, inRecovery: 0, duringOpen: 0, inPlace: 0, onCopy: 0 };

    /** Checks the store; on a copy unless `inPlace` (opening compacts it on close, and would hide what the kill left). */
    const verify = async (round: number, inPlace: boolean) => {
      let target = path;
      if (!inPlace) {
        const copy = join(tmp.dir, `check-${round}`);
        await cp(storeDir, copy, { recursive: true, filter: (src) => !src.endsWith('.lock') });
        target = join(copy, basename(path));
      }
      counts[inPlace ? 'inPlace' : 'onCopy']++;
      expect(await lostChanges(target, all, lastWrites), `round ${round} (seed ${rng.seed}): acknowledged changes lost after SIGKILL`).toEqual([]);
    };

    const writeRound = async (round: number, rand: Rng, at: KillAt, compactAfter?: string) => {
      const r = await runAndKill(path, round, rand.int(2 ** 32), at, compactAfter);
      expect(r.stderr, `round ${round}: writer failed`).toBe('');
      expect(r.killed, `round ${round}: writer was not killed (${JSON.stringify(at)})`).toBe(true);
      counts.kills++;
      all.push(...r.acks);
      lastWrites = r.acks;
    };

    for (let round = 0; round < ROUNDS; round++) {
      const rand = rng.fork(round);
      switch (round % 4) {
        case 0:
          // Right after start-up or a few changes; the check opens the store itself and compacts it.
          await writeRound(round, rand, { changes: rand.int(5) });
          await verify(round, true);
          break;
        case 1:
          // Thousands of changes and no compaction: the next open has a long journal to replay.
          await writeRound(round, rand, { changes: 1 + rand.int(3000) }, NO_COMPACTION);
          await verify(round, false);
          break;
        case 2: {
          // Killed while recovering, once or twice in a row: before it could write or compact anything.
          for (let k = 0; k < 1 + rand.int(2); k++) {
            const main = await bytesOf(path);
            const journal = await bytesOf(`${path}.journal`);
            expect(journal.length, `round ${round}: a journal to recover`).toBeGreaterThan(0);
            const r = await runAndKill(path, round, rand.int(2 ** 32), { recoveryMs: rand.int(60) });
            expect(r.stderr, `round ${round}: writer failed`).toBe('');
            expect(r.killed).toBe(true);
            expect(r.acks.filter((a) => a.k !== 'opening' && a.k !== 'ready'), 'changes from a writer killed while opening').toEqual([]);
            counts.kills++;
            counts.inRecovery++;
            if (r.duringOpen) counts.duringOpen++;
            // Not compacted: the JSON file is as it was, the journal at most lost a torn tail.
            expect((await bytesOf(path)).equals(main), `round ${round}: the JSON file changed`).toBe(true);
            const after = await bytesOf(`${path}.journal`);
            expect(journal.subarray(0, after.length).equals(after) && after.length > 0, `round ${round}: the journal is no longer a prefix of itself`).toBe(true);
          }
          await verify(round, false);
          break;
        }
        default:
          // A writer whose open recovers what the kills left, killed in turn mid-write (compacting as it goes).
          expect((await stat(`${path}.journal`)).size).toBeGreaterThan(0);
          await writeRound(round, rand, { changes: 1 + rand.int(3000) });
          await verify(round, false);
      }
    }
    console.info(`[crash] JSON store: ${ROUNDS} rounds, ${JSON.stringify(counts)}, ${all.filter((a) => !['opening', 'ready', 'done'].includes(a.k)).length} changes acknowledged`);
    expect(counts.inRecovery).toBeGreaterThanOrEqual(ROUNDS / 4);
    expect(counts.inPlace + counts.onCopy).toBe(ROUNDS);
    expect(all.filter((a) => a.k !== 'opening' && a.k !== 'ready').length).toBeGreaterThan(ROUNDS);
  });
});
