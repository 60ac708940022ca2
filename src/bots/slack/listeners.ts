/**
 * Slash commands and buttons. Each is acked at once (Slack's 3 s), then answered through respond()
 * at the command's response_url, which stays valid for 30 minutes.
 */
import type { App, RespondFn } from '@slack/bolt';
import { parseCommandText, runAction, runCommand } from '../../core/commands/index.ts';
import { reply as replies, type CoreDeps, type Reply } from '../../core/index.ts';
import type { CommandTiming, Counter } from '../../http/index.ts';
import { ACTION_PREFIX, decodeAction } from './action-value.ts';
import { installOf, installOfPayload, type ContextSource } from './context.ts';
import { renderReply } from './render.ts';
import { unescapeSlackText } from './escape.ts';
import { homeAction, publishHome, registerHome } from './home.ts';

export const SLASH_COMMANDS = ['/papers', '/topics', '/digest'] as const;

export interface ListenerDeps {
  deps: CoreDeps;
  context: ContextSource;
  commands: Counter;
  actions: Counter;
  /** The workspace removed the app or revoked its token: deliveries will fail until reinstalled. */
  onRevoked: (event: string) => void;
  /** Told when each command or press was acked and answered (the latency histograms). */
  onAnswered?: (t: CommandTiming) => void;
}

/** Times one request: ack() and the answer, reported once the answer went out. */
function stopwatch(l: ListenerDeps) {
  const started = performance.now();
  let ackMs = 0;
  return {
    acked: () => void (ackMs = performance.now() - started),
    answered(command: string) {
      try {
        l.onAnswered?.({ platform: 'slack', command, ackMs, answerMs: performance.now() - started });
      } catch {
        // Metrics must never cost the user a reply.
      }
    },
  };
}

async function send(respond: RespondFn, r: Reply, deps: CoreDeps, extra: { replace_original?: boolean } = {}): Promise<void> {
  const msg = renderReply(r);
  try {
    await respond({ ...msg, ...extra });
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'Slack respond() failed');
  }
}

/** The core never throws, so this is a bug in the adapter: log it and still tell the user. */
async function apologise(respond: RespondFn, err: unknown, deps: CoreDeps): Promise<void> {
  deps.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'Slack listener failed');
  await send(respond, replies.notice('error', 'Sorry, something went wrong on our side. It has been logged; please try again in a moment.'), deps, { replace_original: false });
}

export function registerListeners(app: App, l: ListenerDeps): void {
  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command, ack, respond }) => {
      const watch = stopwatch(l);
      await ack();
      watch.acked();
      let label: string = name;
      try {
        const parsed = parseCommandText(`${command.command} ${unescapeSlackText(command.text ?? '')}`);
        let r: Reply;
        if ('error' in parsed) {
          l.commands.inc({ command: name.slice(1), result: 'usage' });
          r = parsed.error;
        } else {
          const ctx = await l.context.build({ userId: command.user_id, channelId: command.channel_id, teamId: installOf(command) });
          label = `${name}${parsed.spec.sub ? ` ${parsed.spec.sub}` : ''}`;
          r = await runCommand(parsed.spec, ctx, parsed.args, l.deps);
          l.commands.inc({ command: `${name.slice(1)}${parsed.spec.sub ? ` ${parsed.spec.sub}` : ''}`, result: 'ok' });
        }
        await send(respond, r, l.deps);
      } catch (err) {
        await apologise(respond, err, l.deps);
      }
      watch.answered(label);
    });
  }

  registerHome(app, { deps: l.deps, context: l.context });

  app.action({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
    const watch = stopwatch(l);
    await ack();
    watch.acked();
    let label = 'button:unknown';
    // A card in the Home tab has no message (and no response_url) to answer: the tab is redrawn.
    if (body.view?.type === 'home') {
      const decoded = decodeAction(action.type === 'button' ? action.value : undefined);
      l.actions.inc({ action: decoded ? `home ${decoded.type}` : 'invalid' });
      const ctx = await l.context.build({ userId: body.user.id, teamId: installOfPayload(body) });
      const stale = replies.notice('warning', 'That button is out of date; open the Home tab again.');
      await (decoded ? homeAction(client, decoded, ctx, l) : publishHome(client, ctx, l, { notice: stale }));
      watch.answered(`home:${decoded?.type ?? 'invalid'}`);
      return;
    }
    try {
      const value = action.type === 'button' ? action.value : undefined;
      const decoded = decodeAction(value);
      if (!decoded) {
        l.actions.inc({ action: 'invalid' });
        await send(respond, replies.notice('warning', 'That button is out of date; please run the command again.'), l.deps, { replace_original: false });
        return;
      }
      l.actions.inc({ action: decoded.type });
      label = `button:${decoded.type}`;
      const ctx = await l.context.build({ userId: body.user.id, channelId: body.channel?.id, teamId: installOfPayload(body) });
      const r = await runAction(decoded, ctx, l.deps);
      // Paging and the saved list rewrite the list in place; subscribing and saving confirm in a new ephemeral line.
      await send(respond, r, l.deps, { replace_original: ['page', 'saved', 'unsave'].includes(decoded.type) });
    } catch (err) {
      await apologise(respond, err, l.deps);
    }
    watch.answered(label);
  });

  for (const event of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(event, async () => {
      l.deps.logger.error({ event }, 'Slack says Paperboy was uninstalled or its token revoked; reinstall the app');
      l.onRevoked(event);
    });
  }
}
