/**
 * The real bot as a child process (`paperboy start` with the JSON store and the Slack adapter), for
 * the tests that SIGKILL it and start it again; and waiting on it, failing at once if it died.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { waitFor } from '../support/wait.ts';

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));
export const BOT_TOKEN = 'xoxb-crash-test';

export const dirs: string[] = [];
/** Children still running: a failed round must not leave a bot behind. */
const live = new Set<ChildProcess>();
afterAll(async () => {
  for (const p of live) p.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

export interface Child {
  proc: ChildProcess;
  exited: Promise<number | null>;
  log: string[];
}

/** `env` adds to (or overrides, or with undefined removes from) the bot's environment, e.g. PLATFORM_TIMEOUT_SECONDS. */
export function startBot(cwd: string, databaseUrl: string, apiUrl: string, env: Record<string, string | undefined> = {}): Child {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: 'crash-test-secret',
    SLACK_API_URL: apiUrl,
    PORT: '0',
    // Nothing is fetched (the seed marked today fetched); a closed loopback port if it ever were.
    HF_ENDPOINT: 'http://127.0.0.1:9',
    LOG_LEVEL: 'info',
    ...env,
  };
  const proc = spawn(process.execPath, [BIN, 'start'], {
    cwd,
    env: Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  proc.stdout!.on('data', (b: Buffer) => log.push(b.toString()));
  proc.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  live.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    }),
  );
  return { proc, exited, log };
}

export async function until(what: string, cond: () => boolean, child: Child, timeoutMs = 60_000): Promise<void> {
  let dead = false;
  void child.exited.then(() => (dead = true));
  await waitFor(
    () => {
      if (cond()) return true;
      if (dead) throw new Error(`bot exited while waiting for ${what}:\n${child.log.join('').slice(-3000)}`);
      return false;
    },
    { what, timeoutMs, intervalMs: 2, detail: () => child.log.join('').slice(-3000) },
  );
}
