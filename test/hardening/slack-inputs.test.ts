/**
 * Generated hostile input as correctly signed Slack requests to a real Bolt App (HTTP receiver),
 * its Web API client on the local stand-in: slash commands with every kind of text, from admins,
 * members, listed and unknown users, in channels and DMs, plus forged button values. Every request
 * is acked, every answer passes Block Kit's limits, and no mrkdwn or fallback text holds an
 * unescaped `<!...>`, `<@...>` or `<#...>`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, USERS, startHarness, textOf, type Harness } from '../support/slack/harness.ts';
import type { CapturedResponse } from '../support/slack/web-api-stand-in.ts';
import { Coverage, MENTIONS, argText, runs, slackMentionsIn, slackMrkdwnTexts, slashText } from './inputs.ts';

const RUNS = runs(300);
const BATCH = process.env.PAPERBOY_SOAK === '1' ? 24 : 8;
let h: Harness;
let crashes = 0;
const onCrash = (): void => void crashes++;

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

const user = fc.constantFrom(USERS.admin, USERS.member, USERS.member, USERS.listed, 'UNOBODY');
const channel = fc.constantFrom(CHANNELS.research, CHANNELS.research, `D${USERS.member}`);

type Input = { kind: 'command'; command: '/papers' | '/topics' | '/digest'; text: string; user: string; channel: string } | { kind: 'button'; value: string; user: string; channel: string };

const buttonValue = fc.oneof(
  fc.tuple(argText, fc.integer({ min: -2, max: 1_000_000 })).map(([q, p]) => JSON.stringify({ type: 'page', query: q, page: p })),
  argText.map((t) => JSON.stringify({ type: 'subscribe', topic: t })),
  argText,
  fc.constantFrom('{}', 'null', '[]', '{"type":"page"}', '{"type":"subscribe","topic":7}', '{"__proto__":{"type":"page"}}'),
);
const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('command' as const), cmd: slashText, user, channel }).map(({ cmd, ...r }) => ({ ...r, ...cmd })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('button' as const), value: buttonValue, user, channel }) },
);

function check(r: CapturedResponse): void {
  expect(r.problems).toEqual([]);
  const texts = slackMrkdwnTexts(r.body);
  expect(texts.join('').trim().length).toBeGreaterThan(0);
  for (const t of texts) expect(slackMentionsIn(t)).toEqual([]);
  expect(textOf(r)).not.toMatch(/Sorry, something went wrong/);
}

describe(`${RUNS} generated signed requests through a real Bolt App`, () => {
  it('self-check: the mention check catches what it looks for', () => {
    for (const m of MENTIONS.filter((x) => x.startsWith('<'))) expect(slackMentionsIn(`x ${m} y`)).toEqual([m]);
    expect(slackMentionsIn('&lt;!channel&gt; <https://huggingface.co/papers/2401.00001|A paper>')).toEqual([]);
  });

  it('acks and answers every one within Block Kit limits, with nothing that can mention anyone', { timeout: 900_000 }, async () => {
    const coverage = new Coverage();
    // Slowest time from the signed request to the reply at response_url (a README figure, not an assertion).
    let slowestMs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        for (const x of batch) coverage.see(x, x.kind);
        const answers = await Promise.all(
          batch.map(async (x) => {
            const t0 = performance.now();
            const r = await (x.kind === 'command' ? h.command(x.command, x.text, x.user, x.channel) : h.click({ action_id: 'paperboy:page:0', value: x.value }, x.user, x.channel));
            slowestMs = Math.max(slowestMs, performance.now() - t0);
            return r;
          }),
        );
        answers.forEach(check);
      }),
      { numRuns: Math.ceil(RUNS / BATCH) },
    );
    console.info(`[hardening] slack: ${String(coverage)}`);
    coverage.check({ minDistinctShare: 0.9, kinds: ['command', 'button'], minPerKind: Math.ceil(RUNS / 20) });
    // Slack's side: every request got exactly one reply at its response_url, none twice.
    const ids = h.standIn.responses.map((r) => r.id);
    expect(ids).toHaveLength(coverage.tried);
    expect(new Set(ids).size).toBe(coverage.tried);
    expect(h.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(crashes).toBe(0);
    expect(h.adapter.health().connected).toBe(true);
    // Still serving normally afterwards.
    expect(textOf(await h.command('/papers', 'diffusion'))).toMatch(/huggingface\.co\/papers/);
    console.info(`[hardening] slack: ${coverage.tried} signed requests, 0 crashes, slowest reply ${Math.round(slowestMs)} ms`);
  });
});
