/** Replicas of the real bot (`paperboy start`) as child processes, for the scale-out proof. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/wait.ts';

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));

export interface Replica {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
  log: string[];
  dead: boolean;
}

export function startReplica(name: string, env: Record<string, string>): Replica {
  const proc = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Replica = { name, proc, log: [], dead: false, exited: undefined as unknown as Promise<number | null> };
  proc.stdout!.on('data', (b: Buffer) => r.log.push(b.toString()));
  proc.stderr!.on('data', (b: Buffer) => r.log.push(b.toString()));
  r.exited = new Promise((resolve) =>
    proc.once('exit', (code) => {
      r.dead = true;
      resolve(code);
    }),
  );
  return r;
}

/** Waits for `cond`; fails early with the replicas' logs when one dies unexpectedly. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, replicas: Replica[], timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      if (await cond()) return true;
      const dead = replicas.find((r) => r.dead);
      if (dead) throw new Error(`replica ${dead.name} exited while waiting for ${what}:\n${dead.log.join('').slice(-3000)}`);
      return false;
    },
    { what, timeoutMs, intervalMs: 20, detail: () => replicas.map((r) => `--- ${r.name}\n${r.log.join('').slice(-1500)}`).join('\n') },
  );
}

/** How many log lines of a replica carry `msg` (pino JSON lines). */
export function logCount(r: Replica, msg: string): number {
  return r.log
    .join('')
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}"`)).length;
}
