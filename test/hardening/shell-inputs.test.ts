/**
 * Generated lines typed into the real terminal adapter through its streams (readline on a
 * PassThrough): every line is answered before the next prompt, the prompt never dies, and no
 * output can drive the terminal (no escape or other control characters from input or papers).
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShellAdapter, type ShellAdapter } from '../../src/bots/shell/index.ts';
import { makeDeps, type TestDeps } from '../core/commands/support.ts';
import { NeverHappened } from '../support/wait.ts';
import { Coverage, commandLine, runs } from './inputs.ts';

const RUNS = runs(1_000);
const PROMPT = 'paperboy> ';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

let deps: TestDeps;
let shell: ShellAdapter;
const input = new PassThrough();
const output = Object.assign(new PassThrough(), { isTTY: false });
let seen = '';
let wake: (() => void) | undefined;

beforeAll(async () => {
  deps = await makeDeps(['2026-06-22', '2026-06-24']);
  output.setEncoding('utf8');
  output.on('data', (c: string) => {
    seen += c;
    wake?.();
  });
  shell = createShellAdapter({ deps, input, output });
  await shell.start();
});
afterAll(async () => {
  input.end();
  await shell.closed;
});

/** Types one line and returns everything printed until the next prompt. */
async function type(line: string): Promise<string> {
  const from = seen.length;
  input.write(`${line}\n`);
  // Woken by output; bounded, so a prompt that never comes back fails saying so, not by the 600 s test timeout.
  const deadline = Date.now() + 15_000;
  while (seen.indexOf(PROMPT, from) < 0) {
    if (Date.now() > deadline) throw new NeverHappened(`never happened within 15000 ms: the prompt after ${JSON.stringify(line.slice(0, 80))}; printed: ${JSON.stringify(seen.slice(from).slice(-300))}`);
    await new Promise<void>((r) => {
      const t = setTimeout(r, 500);
      wake = () => {
        clearTimeout(t);
        r();
      };
    });
  }
  wake = undefined;
  return seen.slice(from, seen.indexOf(PROMPT, from));
}

describe(`${RUNS} generated lines typed at the terminal prompt`, () => {
  it('answers every line before the next prompt, with clean text', { timeout: 600_000 }, async () => {
    expect(seen.endsWith(PROMPT)).toBe(true);
    let answered = 0;
    const coverage = new Coverage();
    await fc.assert(
      fc.asyncProperty(commandLine, async (raw) => {
        // readline ends a line at CR/LF; `exit` would (rightly) leave the prompt.
        const line = raw.replace(/[\r\n]+/g, ' ');
        if (/^(exit|quit|\/exit|\/quit)$/i.test(line.trim())) return;
        const out = await type(line);
        coverage.see(line, line.trim().startsWith('/') ? 'slash command' : 'other line');
        if (line.trim()) {
          expect(out.trim().length, `no answer to ${JSON.stringify(line.slice(0, 80))}`).toBeGreaterThan(0);
          answered++;
        }
        expect(CONTROL.test(out)).toBe(false);
        expect(out).not.toMatch(/Something went wrong|Sorry, something went wrong/);
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBeGreaterThan(RUNS * 0.9);
    console.info(`[hardening] shell: ${String(coverage)}`);
    coverage.check({ minDistinctShare: 0.75, kinds: ['slash command', 'other line'], minPerKind: Math.ceil(RUNS / 20) });
    expect(shell.health().connected).toBe(true);
    // The prompt is still alive and still useful after all of that.
    expect(await type('/papers diffusion')).toMatch(/diffusion/i);
    expect(deps.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
