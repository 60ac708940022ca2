import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { paperLinks, type Paper } from '../../../src/core/index.ts';
import { Harness, papers, startHarness } from './harness.ts';

type Json = Record<string, unknown>;
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });
afterEach(() => { expect(h.stand.invalid).toEqual([]); });

const paperEmbeds = (body: Json): Json[] => ((body.embeds as Json[]) ?? []).filter((e) => typeof e.url === 'string');
const buttons = (body: Json): { custom_id: string; label: string }[] =>
  ((body.components as { components: { custom_id: string; label: string }[] }[]) ?? []).flatMap((r) => r.components);
/** The message a button sits on, as Discord sends it back with the button interaction. */
const messageWith = (body: Json): Json => ({
  id: '555000000000000001', channel_id: h.textChannel.id, type: 20, author: h.stand.bot, content: body.content ?? '', embeds: body.embeds ?? [],
  components: body.components ?? [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false,
  timestamp: new Date().toISOString(), edited_timestamp: null, flags: 64, application_id: h.stand.applicationId, webhook_id: h.stand.applicationId,
});

describe('/papers through a real discord.js Client', () => {
  let first: Json;

  it('answers /papers transformers with valid paper embeds and paging/subscribe buttons', async () => {
    const i = h.command({ name: 'papers', options: { query: 'transformers' } });
    const { body } = await h.final(i);
    const embeds = paperEmbeds(body);
    expect(embeds).toHaveLength(5);
    for (const e of embeds) expect(String(e.url)).toMatch(/^https:\/\/huggingface\.co\/papers\/\d{4}\.\d{4,5}$/);
    expect(Harness.text(body).toLowerCase()).toContain('transformer');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    // Embeds cannot hold buttons: each card's Save is numbered like its card, above the reply's own buttons.
    const cards = (label: string) => [1, 2, 3, 4, 5].map((n) => `${label} #${n}`);
    expect(buttons(body).map((b) => b.label)).toEqual([...cards('Save'), ...cards('More like this'), 'Next ›', 'Subscribe to transformers']);
    expect((body.components as unknown[]).length).toBe(3);
    first = body;
  });

  it('answers a card\'s "More like this" privately with papers that say what they share', async () => {
    const like = buttons(first).find((b) => b.label === 'More like this #1')!;
    const source = String(paperEmbeds(first)[0]!.url).split('/').pop();
    expect(like.custom_id).toBe(`pb1:m:${source}`);
    const { body, ephemeral } = await h.final(h.button(like.custom_id, messageWith(first), 'member', h.bob));
    expect(ephemeral).toBe(true);
    expect(Harness.text(body)).toContain('More like');
    const found = paperEmbeds(body);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((e) => String(e.url))).not.toContain(`https://huggingface.co/papers/${source}`);
    for (const e of found) {
      const shares = ((e.fields as { name: string; value: string }[]) ?? []).find((f) => f.name === 'Shares');
      expect(shares?.value.length).toBeGreaterThan(0);
    }
  });

  it('pages forward and back with the buttons, editing the message in place', async () => {
    const next = buttons(first).find((b) => b.label === 'Next ›');
    const i = h.button(String(next?.custom_id), messageWith(first));
    const cb = await h.callback(i);
    expect(cb.type).toBe(6); // deferred update of the same message
    const { body } = await h.final(i);
    const titles = paperEmbeds(body).map((e) => String(e.title));
    expect(titles[0]).toMatch(/^6\. /);
    expect(paperEmbeds(body).map((e) => e.url)).not.toEqual(paperEmbeds(first).map((e) => e.url));
    const prev = buttons(body).find((b) => b.label === '‹ Previous');
    const back = await h.final(h.button(String(prev?.custom_id), messageWith(body)));
    expect(paperEmbeds(back.body).map((e) => e.url)).toEqual(paperEmbeds(first).map((e) => e.url));
  });

  it('subscribes the presser to the query with the subscribe button, privately', async () => {
    const sub = buttons(first).find((b) => b.label.startsWith('Subscribe'));
    const { body, ephemeral } = await h.final(h.button(String(sub?.custom_id), messageWith(first), 'member', h.bob));
    expect(ephemeral).toBe(true);
    expect(Harness.text(body)).toContain('transformers');
    const dest = await h.deps.store.getDestination(`discord:user:${h.bob.id}`);
    expect(dest?.settings.topics).toEqual(['transformers']);
  });

  it('keeps custom ids within 100 characters for a long query, and the keyed button still works', async () => {
    const query = `${'diffusion '.repeat(12)}model`.trim();
    const { body } = await h.final(h.command({ name: 'papers', options: { query } }));
    const sub = buttons(body).find((b) => b.label.startsWith('Subscribe'));
    expect(sub?.custom_id.length).toBeLessThanOrEqual(100);
    const res = await h.final(h.button(String(sub?.custom_id), messageWith(body), 'member', h.alice));
    expect(res.ephemeral).toBe(true);
    const dest = await h.deps.store.getDestination(`discord:user:${h.alice.id}`);
    expect(dest?.settings.topics.length).toBe(1);
  });

  it('reports an unknown (expired) button instead of failing', async () => {
    const { body, ephemeral } = await h.final(h.button('pb1:k:doesnotexist', messageWith(first)));
    expect(ephemeral).toBe(true);
    expect(String(body.content)).toMatch(/expired/);
  });

  it('does not let a paper title ping anyone', async () => {
    const base = papers[0] as Paper;
    const id = '2699.00001';
    const evil: Paper = { ...base, id, links: paperLinks(id), title: 'Zyxwvut @everyone <@300000000000000002> <@&100000000000000001> @here', aiSummary: 'Zyxwvut **bold** @everyone' };
    h.deps.index.add([evil]);
    const { body } = await h.final(h.command({ name: 'papers', options: { query: 'zyxwvut' } }));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const text = Harness.text(body);
    expect(text).toContain('Zyxwvut');
    expect(text).not.toMatch(/@everyone|@here|<@&?\d/);
  });

  it('answers an empty-result query and bad input with a clear private message', async () => {
    const none = await h.final(h.command({ name: 'papers', options: { query: 'qqqzzzxxyy' } }));
    expect(none.ephemeral).toBe(true);
    expect(String(none.body.content)).toContain('No papers match');
    const huge = await h.final(h.command({ name: 'papers', options: { query: 'x'.repeat(1000) } }));
    expect(String(huge.body.content)).toMatch(/too long|at most/);
  });
});

describe('slow answers', () => {
  let slow: Harness;
  beforeAll(async () => { slow = await startHarness({ deferAfterMs: 0 }); });
  afterAll(async () => { await slow?.close(); });

  it('defers first (ephemeral), then edits the original response', async () => {
    const i = slow.command({ name: 'papers', options: { query: 'diffusion' } });
    const cb = await slow.callback(i);
    expect(cb).toEqual({ type: 5, data: { flags: 64 } });
    const { body, deferred } = await slow.final(i);
    expect(deferred).toBe(true);
    expect(paperEmbeds(body).length).toBeGreaterThan(0);
    expect(slow.stand.invalid).toEqual([]);
  });
});
