/** Runs one benchmark script in its own node process (so memory and JIT do not mix) and reads its JSON. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const benchPath = (file: string): string => fileURLToPath(new URL(`../${file}`, import.meta.url));

export interface ChildOptions {
  timeoutMs: number;
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** Stdout of `node --import tsx bench/<file> ...args`; stderr (progress) passes through. */
export function runChild(file: string, args: string[], opts: ChildOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), '--import', 'tsx', benchPath(file), ...args],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: opts.timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, ...opts.env } },
      (err, stdout) => {
        if (err) {
          const why = (err as { killed?: boolean }).killed ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s` : err.message.split('\n')[0];
          reject(new Error(`${file}: ${why}`));
        } else resolve(stdout);
      },
    );
    child.stderr?.on('data', (d: string) => process.stderr.write(`  ${d}`));
  });
}

/** The JSON value a child printed: the last line that parses, or the text from the first `{`/`[`. */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as T;
    } catch {
      // not this line
    }
  }
  const from = stdout.search(/^[[{]/m);
  return JSON.parse(stdout.slice(from)) as T;
}
