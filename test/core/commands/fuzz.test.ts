import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandSpecs, runCommand } from '../../../src/core/commands/index.ts';
import { typed } from './run-text.ts';
import { ctxOf, makeDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps(['2026-06-24']);
});

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('"', '|', '-', 'author:', '@everyone', '<@123>', '*_~`', '\u202e', '25:99', 'Europe/Berlin', ''),
);

describe('bad input of any kind', () => {
  it('always gets a reply, never an exception or an unexpected error, typed or structured', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commandSpecs),
        fc.array(text, { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (spec, words, manage, inChannel) => {
          const ctx = ctxOf('fuzzer', { manage, channel: inChannel ? 'c' : null });
          const line = `/${spec.command} ${spec.sub ?? ''} ${words.join(' ')}`;
          const a = await typed(line, ctx, deps);
          const args = Object.fromEntries(spec.options.map((o, i) => [o.name, words[i]]));
          const b = await runCommand(spec, ctx, args, deps);
          for (const r of [a, b]) {
            expect(r.blocks.length).toBeGreaterThan(0);
            expect(r.blocks.some((x) => x.type === 'notice' && x.text.startsWith('Sorry'))).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(deps.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
