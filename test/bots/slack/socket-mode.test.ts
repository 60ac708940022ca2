import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../../src/bots/slack/index.ts';
import { destinationKey } from '../../../src/core/index.ts';
import { APP_TOKEN, CHANNELS, USERS, buttonsOf, startHarness, textOf, type Harness } from '../../support/slack/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ socket: true });
});
afterAll(async () => {
  await h?.close();
});

function slashPayload(command: string, text: string, responseId: string, user: string = USERS.member) {
  return {
    token: 'deprecated', team_id: 'T0PAPER', team_domain: 'paperboy-test', channel_id: CHANNELS.research, channel_name: 'research',
    user_id: user, user_name: user.toLowerCase(), command, text, api_app_id: 'A0PAPER', is_enterprise_install: 'false',
    response_url: h.standIn.responseUrl(responseId), trigger_id: '1.2.3',
  };
}

describe('Slack Socket Mode against the local WebSocket stand-in', () => {
  it('connects with the app token through apps.connections.open and reports healthy', () => {
    expect(h.adapter.mode).toBe('socket');
    expect(h.adapter.port()).toBeUndefined();
    expect(h.standIn.callsOf('apps.connections.open')).toMatchObject([{ token: APP_TOKEN, outcome: 'ok' }]);
    expect(h.socket!.connections()).toBe(1);
    expect(h.adapter.health()).toMatchObject({ connected: true });
  });

  it('acks a slash_commands envelope and answers through respond()', async () => {
    const ack = await h.socket!.send('slash_commands', slashPayload('/papers', 'diffusion', 'sm1'));
    expect(ack).toEqual({});
    const r = await h.standIn.waitFor(() => h.standIn.responses.find((x) => x.id === 'sm1'), 'respond sm1');
    expect(r.problems).toEqual([]);
    expect(textOf(r)).toContain('https://huggingface.co/papers/');

    await h.socket!.send('slash_commands', slashPayload('/topics', 'add "video generation"', 'sm2'));
    const added = await h.standIn.waitFor(() => h.standIn.responses.find((x) => x.id === 'sm2'), 'respond sm2');
    expect(textOf(added)).toMatch(/Added/);
    const dest = await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.member }));
    expect(dest!.settings.topics).toEqual(['"video generation"']);

    await h.socket!.send('slash_commands', slashPayload('/digest', 'add agents', 'sm3', USERS.member));
    const refused = await h.standIn.waitFor(() => h.standIn.responses.find((x) => x.id === 'sm3'), 'respond sm3');
    expect(textOf(refused)).toMatch(/Only people who can manage this channel/);
  });

  it('acks an interactive envelope (button press) and runs the action', async () => {
    const list = h.standIn.responses.find((x) => x.id === 'sm1')!;
    const sub = buttonsOf(list).find((b) => decodeAction(b.value)?.type === 'subscribe')!;
    const payload = {
      type: 'block_actions', user: { id: USERS.admin, team_id: 'T0PAPER' }, team: { id: 'T0PAPER' }, api_app_id: 'A0PAPER',
      channel: { id: CHANNELS.research }, container: { type: 'message', channel_id: CHANNELS.research }, trigger_id: '1.2.3',
      response_url: h.standIn.responseUrl('sm4'),
      actions: [{ type: 'button', block_id: 'b', action_id: sub.action_id, value: sub.value, action_ts: '1.2' }],
    };
    expect(await h.socket!.send('interactive', payload)).toEqual({});
    const r = await h.standIn.waitFor(() => h.standIn.responses.find((x) => x.id === 'sm4'), 'respond sm4');
    expect(textOf(r)).toMatch(/Added/);
    const dest = await h.deps.store.getDestination(destinationKey({ platform: 'slack', kind: 'user', id: USERS.admin }));
    expect(dest!.settings.topics).toEqual(['diffusion']);
  });

  it('reports disconnected after stop', async () => {
    await h.adapter.stop();
    expect(h.adapter.health()).toMatchObject({ connected: false });
  });
});
