/**
 * The Slack Home tab: published when a person opens it (`app_home_opened`) and again after each
 * change made from it. Its buttons remove a topic, open the add-topic and schedule modals, and
 * (through the message action handler) save and remove papers. Modal input is checked by the same
 * core code as /topics add and /topics time; a bad value is answered in the modal next to its field.
 */
import type { App, webApi } from '@slack/bolt';
import { addTopic, errorReply, removeTopic, runAction, setTime, type CommandContext, type CoreDeps } from '../../core/commands/index.ts';
import { isPaperboyError, reply as replies, type Action, type Reply } from '../../core/index.ts';
import { canonicalTimezone, parseTime } from '../../core/schedule/index.ts';
import { installOf, installOfPayload, type ContextSource } from './context.ts';
import { truncate } from './escape.ts';
import { ADD_TOPIC_VIEW, FIELD, HOME_ACTION, HOME_BUTTONS, SCHEDULE_VIEW, addTopicModal, answerModal, homeView, scheduleModal } from './home-view.ts';

export interface HomeDeps {
  deps: CoreDeps;
  context: ContextSource;
}

type Values = Record<string, Record<string, { value?: string | null; selected_time?: string | null; selected_option?: { value?: string } | null }>>;

/** Publishes the person's Home tab; a failure is logged, never thrown at Slack's event. */
export async function publishHome(client: webApi.WebClient, ctx: CommandContext, h: HomeDeps, opts: { notice?: Reply; savedPage?: number } = {}): Promise<void> {
  try {
    await client.views.publish({ user_id: ctx.user.id, view: (await homeView(ctx, h.deps, opts)) as never });
  } catch (err) {
    h.deps.logger.warn({ user: ctx.user.id, err: (err as Error).message }, 'Slack views.publish failed');
  }
}

/** A paper button pressed in the Home tab: no message to answer, so the tab is redrawn with the outcome. */
export async function homeAction(client: webApi.WebClient, action: Action, ctx: CommandContext, h: HomeDeps): Promise<void> {
  if (!HOME_BUTTONS.has(action.type)) {
    // The tab never shows such a button; one forged or left from an older tab is answered, not dropped.
    const note = replies.notice('info', 'That button works in messages: use /papers there (for example /papers like:ID for related papers).');
    await publishHome(client, ctx, h, { notice: note });
    return;
  }
  const r = await runAction(action, ctx, h.deps);
  const savedPage = action.type === 'saved' || action.type === 'unsave' ? action.page : undefined;
  // The saved list shows itself again; only the outcome's first line goes on top.
  const notice = r.blocks.find((b) => b.type === 'notice');
  await publishHome(client, ctx, h, { ...(notice ? { notice: { ephemeral: true, blocks: [notice] } } : {}), ...(savedPage ? { savedPage } : {}) });
}

function field(values: Values | undefined, name: string) {
  return values?.[name]?.[name];
}

/** A user's mistake goes next to the field; anything else is an apology in the same place. */
function fieldError(err: unknown, h: HomeDeps): string {
  if (isPaperboyError(err) && ['usage', 'invalid_query', 'limit', 'not_found'].includes(err.code)) {
    return truncate(err.hint ? `${err.message} ${err.hint}` : err.message, 500);
  }
  const r = errorReply(err, undefined, h.deps);
  const first = r.blocks.find((b) => b.type === 'notice');
  return truncate(first && 'text' in first ? first.text : 'Something went wrong; please try again.', 500);
}

export function registerHome(app: App, h: HomeDeps): void {
  const ctxOf = (userId: string, teamId: string | undefined) => h.context.build({ userId, ...(teamId ? { teamId } : {}) });

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return; // the Messages tab needs nothing
    const org = (body as { authorizations?: { is_enterprise_install?: boolean }[] }).authorizations?.[0]?.is_enterprise_install;
    await publishHome(client, await ctxOf(event.user, installOf({ team_id: body.team_id, enterprise_id: body.enterprise_id, is_enterprise_install: org })), h);
  });

  app.action({ type: 'block_actions', action_id: new RegExp(`^${HOME_ACTION}`) }, async ({ ack, body, action, client }) => {
    await ack();
    const id = 'action_id' in action ? action.action_id.slice(HOME_ACTION.length) : '';
    const trigger = 'trigger_id' in body ? String(body.trigger_id) : '';
    // A trigger_id lives 3 seconds: the add-topic modal needs nothing looked up, so it opens first.
    if (id === 'add-topic') {
      await client.views.open({ trigger_id: trigger, view: addTopicModal(h.deps.config.maxQueryLength) as never }).catch((err: Error) => {
        h.deps.logger.warn({ action: id, err: err.message }, 'Slack views.open failed');
      });
      return;
    }
    const ctx = await ctxOf(body.user.id, installOfPayload(body));
    try {
      if (id === 'schedule') await client.views.open({ trigger_id: trigger, view: (await scheduleModal(ctx, h.deps)) as never });
      else if (id.startsWith('remove-topic')) {
        const topic = action.type === 'button' ? action.value : undefined;
        await publishHome(client, ctx, h, { notice: await removeTopic('user', ctx, topic, h.deps).catch((e: unknown) => errorReply(e, undefined, h.deps)) });
      }
    } catch (err) {
      h.deps.logger.warn({ action: id, err: (err as Error).message }, 'Slack Home tab action failed');
      await publishHome(client, ctx, h, { notice: errorReply(err, undefined, h.deps) });
    }
  });

  app.view(ADD_TOPIC_VIEW, async ({ ack, body, view, client }) => {
    const ctx = await ctxOf(body.user.id, installOfPayload(body));
    const topic = field(view.state.values as Values, FIELD.topic)?.value ?? '';
    let answer: Reply;
    try {
      answer = await addTopic('user', ctx, topic, h.deps);
    } catch (err) {
      await ack({ response_action: 'errors', errors: { [FIELD.topic]: fieldError(err, h) } });
      return;
    }
    await ack({ response_action: 'update', view: answerModal('Your topics', answer) as never });
    await publishHome(client, ctx, h, { notice: answer });
  });

  app.view(SCHEDULE_VIEW, async ({ ack, body, view, client }) => {
    const ctx = await ctxOf(body.user.id, installOfPayload(body));
    const v = view.state.values as Values;
    const time = field(v, FIELD.time)?.selected_time ?? '';
    const zone = (field(v, FIELD.zone)?.value ?? '').trim();
    const cadence = field(v, FIELD.cadence)?.selected_option?.value ?? 'daily';
    const day = field(v, FIELD.day)?.selected_option?.value;
    // Each value is checked where it was typed, so the error lands next to its field.
    const checks: [string, () => unknown][] = [[FIELD.time, () => parseTime(time)], [FIELD.zone, () => zone && canonicalTimezone(zone)]];
    for (const [name, check] of checks) {
      try {
        check();
      } catch (err) {
        await ack({ response_action: 'errors', errors: { [name]: fieldError(err, h) } });
        return;
      }
    }
    let answer: Reply;
    try {
      answer = await setTime('user', ctx, time, zone || undefined, h.deps, { days: cadence, ...(cadence === 'weekly' && day ? { day } : {}) });
    } catch (err) {
      await ack({ response_action: 'errors', errors: { [cadence === 'weekly' ? FIELD.day : FIELD.cadence]: fieldError(err, h) } });
      return;
    }
    await ack({ response_action: 'clear' });
    await publishHome(client, ctx, h, { notice: answer });
  });
}
