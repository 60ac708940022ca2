/** Drives the terminal adapter through plain streams: no TTY needed. */
import { PassThrough } from 'node:stream';

export interface Terminal {
  input: PassThrough;
  output: PassThrough;
  text(): string;
  /** Resolves once the output matches (checked on every write, no polling timer). */
  waitFor(pattern: RegExp): Promise<string>;
  type(line: string): void;
}

export function terminal(): Terminal {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  const waiters: { pattern: RegExp; resolve: (t: string) => void }[] = [];
  output.on('data', (c: Buffer) => {
    text += c.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(text);
      }
    }
  });
  return {
    input,
    output,
    text: () => text,
    waitFor(pattern) {
      if (pattern.test(text)) return Promise.resolve(text);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    type(line) {
      input.write(`${line}\n`);
    },
  };
}
