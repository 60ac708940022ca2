/** Saving papers from Slack cards: signed button presses against the real Bolt app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, startHarness, textOf, USERS, type Harness } from '../../support/slack/harness.ts';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('saved papers on Slack', () => {
  it('each card carries its own Save button; pressing it saves for the presser, privately', async () => {
    const lookup = await h.command('/papers', 'diffusion');
    expect(lookup.problems).toEqual([]);
    const saves = buttonsOf(lookup).filter((b) => b.text.text === 'Save');
    expect(saves).toHaveLength(5);
    expect(new Set(saves.map((b) => b.action_id)).size).toBe(5);
    const first = JSON.parse(saves[0]!.value) as { paperId: string };
    const title = (await h.deps.store.getPaper(first.paperId))!.title;

    const r = await h.click(saves[0]!, USERS.member);
    expect(r.problems).toEqual([]);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.replace_original).toBe(false);
    expect(textOf(r)).toContain('Saved');

    const mine = await h.command('/papers', 'saved', USERS.member);
    expect(textOf(mine)).toContain(title.slice(0, 40));
    expect(buttonsOf(mine).map((b) => b.text.text)).toEqual(['Remove']);
    const theirs = await h.command('/papers', 'saved', USERS.admin);
    expect(textOf(theirs)).toContain('no saved papers');
    expect(textOf(theirs)).not.toContain(title.slice(0, 40));

    const removed = await h.click(buttonsOf(mine)[0]!, USERS.member);
    expect(removed.body.replace_original).toBe(true);
    expect(textOf(removed)).toContain('Removed');
    expect((await h.deps.store.savedPapers('slack:user:UMEMBER', { offset: 0, limit: 5 })).total).toBe(0);
  });

  it('refuses a forged save of a paper that is not indexed, without saving anything', async () => {
    const r = await h.click({ action_id: 'paperboy:save:1.0', value: JSON.stringify({ type: 'save', paperId: '9999.99999' }) }, USERS.member);
    expect(textOf(r)).toContain('not in the index');
    expect((await h.deps.store.savedPapers('slack:user:UMEMBER', { offset: 0, limit: 5 })).total).toBe(0);
  });
});
