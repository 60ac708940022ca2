/**
 * The Slack Home tab through the real Bolt app: signed `app_home_opened` events, Home-tab button
 * presses and modal submissions, with the Web API stand-in checking every views.publish and
 * views.open body against Block Kit's limits (it refuses invalid views as Slack does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, startHarness, textOf, USERS, type Harness } from '../../support/slack/harness.ts';
import { viewProblems } from '../../support/slack/index.ts';

type Json = Record<string, unknown>;
type Element = { type: string; action_id: string; value?: string; text: { text: string } };
let h: Harness;
// 2026-06-25 12:00 UTC: a first digest (the last 24 hours) on "diffusion models" holds two real papers.
beforeAll(async () => { h = await startHarness({ now: '2026-06-25T12:00:00Z' }); });
afterAll(async () => { await h?.close(); });

/** The view of the latest accepted views.publish (or views.open) for `user`, waiting for `count` of them. */
async function published(count: number, user: string = USERS.member): Promise<Json> {
  const calls = await h.standIn.waitFor(() => {
    const mine = h.standIn.callsOf('views.publish').filter((c) => c.args.user_id === user);
    return mine.length >= count ? mine : undefined;
  }, `views.publish #${count} for ${user}`);
  const last = calls[count - 1]!;
  expect(last.outcome).toBe('ok');
  const view = last.args.view as Json;
  expect(viewProblems(view)).toEqual([]);
  return view;
}

async function opened(count: number): Promise<Json> {
  const calls = await h.standIn.waitFor(() => (h.standIn.callsOf('views.open').length >= count ? h.standIn.callsOf('views.open') : undefined), `views.open #${count}`);
  expect(calls[count - 1]!.outcome).toBe('ok');
  expect(calls[count - 1]!.args.trigger_id).toBeTruthy();
  return calls[count - 1]!.args.view as Json;
}

const text = (view: Json) => JSON.stringify(view.blocks);
/** Every button of a view: accessories and actions blocks. */
function buttons(view: Json): Element[] {
  const blocks = view.blocks as { type: string; accessory?: Element; elements?: Element[] }[];
  return blocks.flatMap((b) => [...(b.accessory?.type === 'button' ? [b.accessory] : []), ...(b.type === 'actions' ? b.elements ?? [] : [])]);
}
const labelled = (view: Json, label: string) => buttons(view).filter((b) => b.text.text === label);

describe('Slack App Home', () => {
  let publishes = 0;

  it('publishes the Home tab when it is opened, and nothing for the Messages tab', async () => {
    const res = await h.event({ type: 'app_home_opened', user: USERS.member, channel: 'DUMEMBER', tab: 'messages' });
    expect(res.status).toBe(200);
    await h.event({ type: 'app_home_opened', user: USERS.member, channel: 'DUMEMBER', tab: 'home' });
    const view = await published(++publishes);
    expect(h.standIn.callsOf('views.publish')).toHaveLength(1);
    expect(view.type).toBe('home');
    expect(text(view)).toContain('Your topics* (0 of 25)');
    expect(text(view)).toContain('no saved papers');
    expect(labelled(view, 'Add topic')).toHaveLength(1);
    expect(labelled(view, 'Change schedule')).toHaveLength(1);
  });

  it('answers an invalid topic in the add-topic modal, next to the field', async () => {
    const home = await published(publishes);
    await h.clickInView(labelled(home, 'Add topic')[0]!, home);
    const modal = await opened(1);
    expect(modal).toMatchObject({ type: 'modal', callback_id: 'paperboy-add-topic' });
    const ack = await h.submit(modal, { topic: { topic: { type: 'plain_text_input', value: '"diffusion models' } } });
    expect(ack.response_action).toBe('errors');
    expect((ack.errors as Json).topic).toMatch(/A quote is not closed/);
    const only = await h.submit(modal, { topic: { topic: { type: 'plain_text_input', value: '-survey' } } });
    expect((only.errors as Json).topic).toMatch(/only excludes words/);
    expect((await h.deps.store.getDestination('slack:user:UMEMBER'))?.settings.topics ?? []).toEqual([]);
  });

  it('adds a valid topic with the same answer as /topics add, and lists it with a Remove button', async () => {
    const home = await published(publishes);
    const modal = await opened(1);
    const ack = await h.submit(modal, { topic: { topic: { type: 'plain_text_input', value: 'diffusion models' } } });
    expect(ack.response_action).toBe('update');
    const answer = ack.view as Json;
    expect(viewProblems(answer)).toEqual([]);
    // The same words as the slash command gives another person adding the same topic.
    const typed = await h.command('/topics', 'add diffusion models', USERS.admin);
    const blocks = (answer.blocks as Json[]).map((b) => JSON.stringify(b.text));
    // (Each person's digest starts in their Slack profile's zone: Paris for the admin, New York here.)
    expect(blocks).toEqual((typed.body.blocks as Json[]).map((b) => JSON.stringify(b.text).replace('Europe/Paris', 'America/New_York')));
    expect(blocks.join()).toContain('Added “diffusion models” to your topics (1 in all)');

    const after = await published(++publishes);
    expect(text(after)).toContain('Your topics* (1 of 25)');
    const remove = labelled(after, 'Remove').find((b) => b.value === 'diffusion models');
    expect(remove).toBeDefined();
    expect(home).not.toEqual(after);
  });

  it('shows the next digest’s preview with Save buttons; saving there shows up in the saved papers', async () => {
    const home = await published(publishes);
    const saves = labelled(home, 'Save');
    expect(saves.length).toBeGreaterThan(0);
    // More like this answers with a list, which the tab has nowhere to show: it stays in messages.
    expect(labelled(home, 'More like this')).toEqual([]);
    expect(saves.length).toBeLessThanOrEqual(5);
    const paperId = (JSON.parse(saves[0]!.value!) as { paperId: string }).paperId;
    const title = (await h.deps.store.getPaper(paperId))!.title;
    await h.clickInView(saves[0]!, home);
    const after = await published(++publishes);
    expect(text(after)).toContain('Saved');
    expect(text(after)).toContain('Your saved papers');
    expect(text(after)).toContain(title.slice(0, 30).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    const remove = labelled(after, 'Remove').find((b) => b.value?.includes(paperId));
    expect(remove).toBeDefined();

    await h.clickInView(remove!, after);
    const removed = await published(++publishes);
    expect(text(removed)).toContain('Removed');
    expect(text(removed)).toContain('no saved papers');
    expect((await h.deps.store.savedPapers('slack:user:UMEMBER', { offset: 0, limit: 5 })).total).toBe(0);
  });

  it('changes the schedule in a modal that starts from the Slack profile’s zone', async () => {
    const home = await published(publishes);
    await h.clickInView(labelled(home, 'Change schedule')[0]!, home);
    const modal = await opened(2);
    expect(modal.callback_id).toBe('paperboy-schedule');
    expect(JSON.stringify(modal.blocks)).toContain('"initial_value":"America/New_York"'); // users.info tz of UMEMBER
    const values = (zone: string, cadence: string, day?: string) => ({
      time: { time: { type: 'timepicker', selected_time: '07:30' } },
      zone: { zone: { type: 'plain_text_input', value: zone } },
      cadence: { cadence: { type: 'radio_buttons', selected_option: { value: cadence } } },
      day: { day: { type: 'static_select', selected_option: day ? { value: day } : null } },
    });
    const bad = await h.submit(modal, values('Mars/Olympus_Mons', 'daily'));
    expect(bad.response_action).toBe('errors');
    expect(Object.keys(bad.errors as Json)).toEqual(['zone']);
    const noDay = await h.submit(modal, values('Europe/Berlin', 'weekly'));
    expect(Object.keys(noDay.errors as Json)).toEqual(['day']);

    const ok = await h.submit(modal, values('Europe/Berlin', 'weekly', 'fri'));
    expect(ok).toEqual({ response_action: 'clear' });
    const s = (await h.deps.store.getDestination('slack:user:UMEMBER'))!.settings;
    expect(s).toMatchObject({ time: '07:30', timezone: 'Europe/Berlin', weeklyOn: 5 });
    const after = await published(++publishes);
    expect(text(after)).toContain('07:30 Europe/Berlin, weekly on Friday');
  });

  it('removes a topic from the Home tab', async () => {
    const home = await published(publishes);
    await h.clickInView(labelled(home, 'Remove').find((b) => b.value === 'diffusion models')!, home);
    const after = await published(++publishes);
    expect(text(after)).toContain('Removed “diffusion models”');
    expect(text(after)).toContain('Your topics* (0 of 25)');
    expect((await h.deps.store.getDestination('slack:user:UMEMBER'))!.settings.topics).toEqual([]);
  });

  it('answers a forged or out-of-date Home-tab button by redrawing the tab, changing nothing', async () => {
    const home = await published(publishes);
    await h.clickInView({ action_id: 'paperboy:unsave:1.0', value: '{"type":"unsave","paperId":' }, home);
    const after = await published(++publishes);
    expect(text(after)).toContain('That button is out of date');
    expect((await h.deps.store.savedPapers('slack:user:UMEMBER', { offset: 0, limit: 5 })).total).toBe(0);
    const paperId = (await h.deps.store.allPapers())[0]!.id;
    await h.clickInView({ action_id: 'paperboy:like:1.1', value: JSON.stringify({ type: 'like', paperId }) }, after);
    expect(text(await published(++publishes))).toContain('That button works in messages');
  });

  it('keeps a full Home tab within Block Kit limits (25 topics, a full preview, saved papers)', async () => {
    for (let i = 0; i < 25; i++) await h.command('/topics', `add ${['model', 'diffusion', 'agents', 'vision', 'language'][i % 5]} ${i}`, USERS.berlin);
    const lookup = await h.command('/papers', 'model', USERS.berlin);
    for (const b of buttonsOf(lookup).filter((x) => x.text.text === 'Save')) await h.click(b, USERS.berlin);
    expect(textOf(lookup)).toContain('Save');
    await h.event({ type: 'app_home_opened', user: USERS.berlin, channel: 'DUBERLIN', tab: 'home' });
    const view = await published(1, USERS.berlin);
    expect((view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
    expect(labelled(view, 'Remove').length).toBeGreaterThanOrEqual(25);
  });
});
