/**
 * The real cs.CL day end to end: arXiv's announcement of 2026-08-13 and the Hugging Face days that
 * follow it (from the corpus, which lists some of the same papers that day and later), through the
 * real cycle, into a Discord channel (discord.js on the Discord stand-in) and a Slack channel (Bolt
 * on the Web API stand-in). The channel follows `LLM agents cat:cs.CL`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreDeps } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createArxivSource } from '../../src/core/sources/arxiv/index.ts';
import { createHfSource } from '../../src/core/sources/hf/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { DEFAULT_GUILD } from '../support/discord/index.ts';
import { startArxivStandIn, type ArxivStandIn } from '../support/arxiv-stand-in.ts';
import { csClPapers } from '../support/arxiv-overlap.ts';
import { loadCorpusDays, startHfStandIn, type HfStandIn } from '../support/hf-stand-in.ts';
import { CHANNELS, USERS, startHarness as startSlack } from '../support/slack/harness.ts';
import { startHarness as startDiscord } from '../bots/discord/harness.ts';

const TOPIC = 'LLM agents cat:cs.CL';
const DAYS = ['2026-08-13', '2026-08-14', '2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20'];
const ID = /\b(26\d{2}\.\d{5})\b/g;

let arxiv: ArxivStandIn;
let hf: HfStandIn;
beforeAll(async () => {
  arxiv = await startArxivStandIn({ intervalMs: 50 });
  const corpus = loadCorpusDays();
  hf = await startHfStandIn({ noSharedFiles: true, days: new Map([...corpus].filter(([d]) => d >= '2026-08-10' && d <= '2026-08-20')) });
});
afterAll(async () => {
  await arxiv?.close();
  await hf?.close();
});

/** What the channel must get on 2026-08-13: the feed's new and cross-listed papers matching the topic. */
function expectedOnAnnouncement(): string[] {
  const listed = csClPapers().filter((p) => p.sources?.arxiv);
  return createSearchIndex(listed).search(TOPIC, { limit: 1000 }).hits.map((h) => h.paper.id).sort();
}
const replacedIds = () => new Set(csClPapers().filter((p) => !p.sources?.arxiv).map((p) => p.id));

function wire(deps: CoreDeps): void {
  deps.source = createHfSource({ baseUrl: hf.url, maxRetries: 0 });
  deps.arxiv = createArxivSource({ rssUrl: arxiv.url, apiUrl: `${arxiv.url}/api`, contact: 'ops@example.org', intervalMs: 60 });
}

/** Runs the cycle at 09:00 UTC each day; returns the paper ids each day's posts carried. */
async function runDays(deps: CoreDeps, adapter: Parameters<typeof runCycle>[1][number], posts: () => string[]): Promise<Map<string, string[]>> {
  const byDay = new Map<string, string[]>();
  let seen = 0;
  for (const day of DAYS) {
    const report = await runCycle(deps, [adapter], new Date(`${day}T09:00:00Z`));
    expect(report.outcomes.every((o) => o.status !== 'failed')).toBe(true);
    const all = posts();
    byDay.set(day, [...new Set(all.slice(seen).join('\n').match(ID) ?? [])].sort());
    seen = all.length;
  }
  return byDay;
}

function checkDays(byDay: Map<string, string[]>): void {
  const expected = expectedOnAnnouncement();
  expect(expected.length).toBeGreaterThan(3);
  // Thursday: every matching new and cross-listed paper of the announcement, none replaced.
  expect(byDay.get('2026-08-13')).toEqual(expected);
  const replaced = replacedIds();
  const all = [...byDay.values()].flat();
  expect(all.filter((id) => replaced.has(id))).toEqual([]);
  // Each paper once across both sources: the ones Hugging Face lists later do not come again.
  expect(all.length).toBe(new Set(all).size);
  for (const day of DAYS.slice(1)) for (const id of byDay.get(day)!) expect(expected).not.toContain(id);
  // The rules held: nothing faster than the pacing, never two at once, and arXiv was read after its announcement only.
  expect(arxiv.violations()).toEqual([]);
}

describe('the cs.CL day of 2026-08-13 through Discord', () => {
  it('delivers the matching new and cross-listed papers once, whichever source lists them', async () => {
    const h = await startDiscord({ now: '2026-08-12T12:00:00Z' });
    try {
      wire(h.deps);
      const TEXT = DEFAULT_GUILD.channels[0]!.id;
      await h.final(h.command({ name: 'digest', sub: 'add', options: { topic: TOPIC } }, 'manager'));
      await h.final(h.command({ name: 'digest', sub: 'time', options: { time: '09:00', zone: 'UTC' } }, 'manager'));
      const before = arxiv.requests.length;
      const byDay = await runDays(h.deps, h.adapter, () => (h.stand.state.messages.get(TEXT) ?? []).map((m) => JSON.stringify(m)));
      checkDays(byDay);
      const text = JSON.stringify(h.stand.state.messages.get(TEXT)![0]);
      expect(text).toContain('cross-list from cs.AI');
      // One feed request a slot (304 after the first), one export API batch the first day.
      const mine = arxiv.requests.slice(before);
      expect(mine.filter((r) => r.url.startsWith('/rss/')).length).toBeLessThanOrEqual(DAYS.length * 3);
      expect(mine.filter((r) => r.status === 200 && r.url.startsWith('/rss/'))).toHaveLength(1);
      expect(h.stand.invalid).toEqual([]);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('the cs.CL day of 2026-08-13 through Slack', () => {
  it('delivers the matching new and cross-listed papers once, whichever source lists them', async () => {
    const h = await startSlack({ now: '2026-08-12T12:00:00Z' });
    try {
      wire(h.deps);
      await h.command('/digest', `add ${TOPIC}`, USERS.admin, CHANNELS.research);
      await h.command('/digest', 'time 09:00 UTC', USERS.admin, CHANNELS.research);
      const byDay = await runDays(h.deps, h.adapter, () => (h.standIn.messages.get(CHANNELS.research) ?? []).map((m) => JSON.stringify(m.blocks ?? m.text)));
      checkDays(byDay);
      expect(JSON.stringify(h.standIn.messages.get(CHANNELS.research)![0])).toContain('cross-list from cs.AI');
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('a busy field: the whole of cs.CL', () => {
  it('shows the top 10 with "Show all 92", which opens every paper privately, paged, on Discord and Slack', async () => {
    const d = await startDiscord({ now: '2026-08-12T12:00:00Z' });
    try {
      wire(d.deps);
      const TEXT = DEFAULT_GUILD.channels[0]!.id;
      await d.final(d.command({ name: 'digest', sub: 'add', options: { topic: 'cat:cs.CL' } }, 'manager'));
      await d.final(d.command({ name: 'digest', sub: 'time', options: { time: '09:00', zone: 'UTC' } }, 'manager'));
      await runCycle(d.deps, [d.adapter], new Date('2026-08-13T09:00:00Z'));
      const posted = d.stand.state.messages.get(TEXT) ?? [];
      const last = posted.at(-1) as Record<string, unknown>;
      const buttons = ((last.components as { components: { custom_id: string; label: string }[] }[]) ?? []).flatMap((r) => r.components);
      const all = buttons.find((b) => b.label === 'Show all 92');
      expect(all).toBeDefined();
      const message = { id: String(last.id ?? '1'), channel_id: TEXT, content: '', embeds: [], components: last.components, author: { id: d.stand.applicationId, username: 'paperboy' } };
      const { body, ephemeral } = await d.final(d.button(all!.custom_id, message));
      expect(ephemeral).toBe(true);
      expect(String(body.content)).toContain('All 92 papers of this digest · page 1 of 10');
      expect((body.embeds as unknown[]).length).toBe(10);
      expect(d.stand.invalid).toEqual([]);
    } finally {
      await d.close();
    }
    const s = await startSlack({ now: '2026-08-12T12:00:00Z' });
    try {
      wire(s.deps);
      await s.command('/digest', 'add cat:cs.CL', USERS.admin, CHANNELS.research);
      await s.command('/digest', 'time 09:00 UTC', USERS.admin, CHANNELS.research);
      await runCycle(s.deps, [s.adapter], new Date('2026-08-13T09:00:00Z'));
      const blocks = (s.standIn.messages.get(CHANNELS.research) ?? []).flatMap((m) => (m.blocks ?? []) as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[]);
      const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.text?.text === 'Show all 92');
      expect(button).toBeDefined();
      const r = await s.click(button!);
      expect(r.body.response_type ?? 'ephemeral').toBe('ephemeral');
      expect(JSON.stringify(r.body.blocks)).toContain('All 92 papers of this digest · page 1 of 10');
    } finally {
      await s.close();
    }
    expect(arxiv.violations()).toEqual([]);
  }, 120_000);
});
