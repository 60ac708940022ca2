/** Where CLI output goes: results to stdout (text or `--json`), progress and problems to stderr. */
import type { Reply } from '../core/index.ts';
import { createRenderer, ttyOptions } from '../bots/shell/index.ts';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(io: Io, text: string): void {
  io.stdout.write(`${text}\n`);
}

export function printReply(io: Io, r: Reply): void {
  const { text } = createRenderer(ttyOptions(io.stdout))(r);
  if (text) printLine(io, text);
}

export function warn(io: Io, text: string): void {
  io.stderr.write(`${text}\n`);
}
