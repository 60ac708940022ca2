import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { loadFixtureDays, startHfStandIn, type HfStandIn } from '../support/hf-stand-in.ts';
import { BIN, runCli, tempDir } from './run-cli.ts';

const today = () => new Date().toISOString().slice(0, 10);

let hf: HfStandIn;
beforeAll(async () => {
  hf = await startHfStandIn({ days: { [today()]: loadFixtureDays().get('2026-06-24')! } });
});
afterAll(async () => {
  await hf.close();
});

async function topicsIn(db: string): Promise<string[] | undefined> {
  const store = await openStore(`file:${db}`, { logger: silentLogger });
  try {
    return (await store.getDestination('shell:user:local'))?.settings.topics;
  } finally {
    await store.close();
  }
}

describe('paperboy start (terminal)', { timeout: 120_000 }, () => {
  it('reads commands from piped stdin and exits 0 at end of input (Ctrl-D) with the store written', async () => {
    const db = join(tempDir(), 'pb.json');
    const r = await runCli([], { env: { DATABASE_URL: `file:${db}`, HF_ENDPOINT: hf.url }, input: '/papers diffusion\n/topics add agents\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('First start: fetching the last 7 days');
    expect(r.stdout).toMatch(/Fetched 21 papers from 7 days\./);
    expect(r.stdout).toMatch(/^1\. /m);
    expect(r.stdout).not.toMatch(/\u001b/); // a pipe gets plain text
    expect(await topicsIn(db)).toEqual(['agents']);
  });

  it('leaves cleanly on Ctrl-C (SIGINT) at the prompt, store written', async () => {
    const db = join(tempDir(), 'pb.json');
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${db}`, HF_ENDPOINT: hf.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => pattern.test(out) && resolve();
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await seen(/paperboy> /);
    child.stdin.write('/topics add robots\n');
    await seen(/robots[\s\S]*paperboy> [\s\S]*paperboy> |robots[\s\S]*paperboy> $/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await topicsIn(db)).toEqual(['robots']);
  });

  it('--help on start and the default command describe the terminal mode', async () => {
    const r = await runCli(['start', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('otherwise a terminal prompt');
  });
});
