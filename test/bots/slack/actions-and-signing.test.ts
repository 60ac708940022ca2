import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../../src/bots/slack/index.ts';
import { destinationKey } from '../../../src/core/index.ts';
import { CHANNELS, SECRET, USERS, buttonsOf, startHarness, textOf, type Harness } from '../../support/slack/harness.ts';
import { interactionBody, postSigned, slackSignature, slashCommandBody } from '../../support/slack/sign.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('Slack buttons (signed block_actions payloads)', () => {
  it('pages through /papers results in place', async () => {
    const first = await h.command('/papers', 'language models');
    const next = buttonsOf(first).find((b) => decodeAction(b.value)?.type === 'page');
    expect(next).toBeDefined();
    expect(decodeAction(next!.value)).toMatchObject({ type: 'page', query: 'language models', page: 2 });
    const second = await h.click(next!);
    expect(second.problems).toEqual([]);
    expect(second.body.replace_original).toBe(true);
    const ids = (r: typeof first) => [...textOf(r).matchAll(/huggingface\.co\/papers\/(\d{4}\.\d{4,5})\|/g)].map((m) => m[1]);
    expect(ids(second).length).toBeGreaterThan(0);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
  });

  it('subscribes the presser (and only them) to the searched topic', async () => {
    const r = await h.command('/papers', 'agents', USERS.member);
    const sub = buttonsOf(r).find((b) => decodeAction(b.value)?.type === 'subscribe')!;
    expect(sub).toBeDefined();
    const answer = await h.click(sub, USERS.berlin);
    expect(answer.problems).toEqual([]);
    expect(answer.body.replace_original).toBe(false);
    expect(textOf(answer)).toMatch(/Added/);
    const dest = await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.berlin }));
    expect(dest!.settings.topics).toEqual(['agents']);
    expect(await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.member }))).toBeUndefined();
  });

  it('answers a forged button value with a clear message and changes nothing', async () => {
    const answer = await h.click({ action_id: 'paperboy:subscribe:0', value: '{"type":"subscribe","topic":""}' }, USERS.owner);
    expect(textOf(answer)).toMatch(/out of date/);
    expect(await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.owner }))).toBeUndefined();
  });
});

describe('Slack request signing', () => {
  const body = () => slashCommandBody({ command: '/topics', text: 'add hacked', user_id: USERS.admin, channel_id: CHANNELS.research, response_url: h.standIn.responseUrl('forged') });

  it('refuses a bad signature with 401 and runs nothing', async () => {
    const res = await postSigned(h.eventsUrl, SECRET, body(), { signature: slackSignature('wrong-secret', Math.floor(Date.now() / 1000), body()) });
    expect(res.status).toBe(401);
  });

  it('refuses a stale timestamp (over 5 minutes old) with 401, even when correctly signed', async () => {
    const res = await postSigned(h.eventsUrl, SECRET, body(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it('refuses unsigned requests and a body changed after signing', async () => {
    const unsigned = await fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body() });
    expect(unsigned.status).toBe(401);
    const ts = Math.floor(Date.now() / 1000);
    const res = await postSigned(h.eventsUrl, SECRET, body().replace('hacked', 'hacker'), { signature: slackSignature(SECRET, ts, body()), timestamp: ts });
    expect(res.status).toBe(401);
    const payload = interactionBody({ type: 'block_actions', actions: [] });
    expect((await postSigned(h.eventsUrl, 'nope', payload)).status).toBe(401);
  });

  it('left no trace of the refused requests', async () => {
    expect(h.standIn.responses.filter((r) => r.id === 'forged')).toEqual([]);
    expect(await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.admin }))).toBeUndefined();
  });
});
