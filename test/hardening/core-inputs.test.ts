/**
 * 10,000 generated command lines through the real parser and runCommand (memory store, real index
 * over real papers), each also rendered for every platform: every one gets a reply, nothing throws,
 * nothing apologises for an unexpected error, and no rendered reply can mention anyone.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandSpecs, parseCommandText, runCommand } from '../../src/core/commands/index.ts';
import { replyText, type Reply } from '../../src/core/model/index.ts';
import { renderReply } from '../../src/bots/slack/render.ts';
import { createRenderer, plainText } from '../../src/bots/shell/render.ts';
import { ctxOf, makeDeps, type TestDeps } from '../core/commands/support.ts';
import { messageProblems as slackProblems } from '../support/slack/block-limits.ts';
import { Coverage, commandLine, runs, slackMentionsIn, slackMrkdwnTexts } from './inputs.ts';

const RUNS = runs(10_000);
let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps(['2026-06-22', '2026-06-24']);
});

const specName = (s: { command: string; sub?: string }): string => `/${s.command}${s.sub ? ` ${s.sub}` : ''}`;
const apology = (r: Reply) => r.blocks.some((b) => b.type === 'notice' && /^Sorry, something went wrong/.test(b.text));
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe(`${RUNS} generated command lines through the parser and runCommand`, () => {
  it('every line gets a bounded, renderable reply; nothing throws or apologises; nothing can mention anyone', { timeout: 600_000 }, async () => {
    const render = createRenderer(plainText);
    const coverage = new Coverage();
    await fc.assert(
      fc.asyncProperty(
        commandLine,
        fc.constantFrom('ann', 'bo', 'cy'),
        fc.boolean(),
        fc.constantFrom('discord', 'slack', 'shell') as fc.Arbitrary<'discord' | 'slack' | 'shell'>,
        fc.boolean(),
        async (line, user, manage, platform, inChannel) => {
          const ctx = ctxOf(user, { manage, platform, channel: inChannel ? 'general' : null });
          const parsed = parseCommandText(line);
          coverage.see(line, 'error' in parsed ? 'refused by the parser' : specName(parsed.spec));
          const r = 'error' in parsed ? parsed.error : await runCommand(parsed.spec, ctx, parsed.args, deps);
          expect(r.blocks.length).toBeGreaterThan(0);
          expect(apology(r)).toBe(false);
          // Bad input is echoed clipped, never whole (a 10,000-character line comes back short).
          expect(replyText(r).length).toBeLessThan(4000);
          const slack = renderReply(r);
          expect(slackProblems(slack)).toEqual([]);
          for (const t of slackMrkdwnTexts(slack as unknown as Record<string, unknown>)) expect(slackMentionsIn(t)).toEqual([]);
          const text = render(r).text;
          expect(text.trim().length).toBeGreaterThan(0);
          expect(CONTROL.test(text)).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
    console.info(`[hardening] core: ${String(coverage)}`);
    // Most lines differ, the parser refused some, and every command was really run with generated arguments.
    coverage.check({ minDistinctShare: 0.75, kinds: ['refused by the parser', ...commandSpecs.map(specName)], minPerKind: Math.ceil(RUNS / 500) });
    expect(deps.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
