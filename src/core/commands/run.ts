/** Runs a command or a button press; every failure becomes a reply, never an exception. */
import { checkRate } from '../limits/check.ts';
import { isPaperboyError } from '../model/errors.ts';
import type { Action, Reply, ReplyBlock } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import { cleanText } from './destinations.ts';
import { usageReply } from './help.ts';
import { searchPapers } from './papers.ts';
import { papersLike } from './like.ts';
import { savePaper, savedList, unsavePaper } from './saved.ts';
import { showAll } from '../digests/show-all.ts';
import type { CommandArgs, CommandContext, CommandSpec, CoreDeps } from './spec.ts';
import { addTopic } from './topic-ops.ts';

const APOLOGY = 'Sorry, something went wrong on our side. It has been logged; please try again in a moment.';

function name(spec?: CommandSpec): string {
  return spec ? `/${spec.command}${spec.sub ? ` ${spec.sub}` : ''}` : 'button';
}

/** Turns any error into a reply; unexpected ones are logged, never shown with their stack. */
export function errorReply(err: unknown, spec: CommandSpec | undefined, deps: Pick<CoreDeps, 'logger'>): Reply {
  if (isPaperboyError(err)) {
    const hint: ReplyBlock[] = err.hint ? [{ type: 'text', text: err.hint }] : [];
    switch (err.code) {
      case 'usage':
        if (spec) {
          const r = usageReply(spec, err.message);
          return { ...r, blocks: [...r.blocks, ...hint] };
        }
        return reply.of([{ type: 'notice', level: 'error', text: err.message }, ...hint]);
      case 'invalid_query':
      case 'forbidden':
        return reply.of([{ type: 'notice', level: 'error', text: err.message }, ...hint]);
      case 'limit':
        return reply.of([{ type: 'notice', level: 'warning', text: err.message }, ...hint]);
      case 'not_found':
        return reply.of([{ type: 'notice', level: 'info', text: err.message }, ...hint]);
      case 'upstream':
        deps.logger.warn({ command: name(spec), err: err.message }, 'upstream failure in command');
        return reply.notice('warning', `Hugging Face could not be reached just now (${err.message}). Please try again later.`);
      case 'store':
        deps.logger.error({ command: name(spec), err: err.message }, 'store failure in command');
        return reply.notice('error', 'Paperboy could not reach its storage just now, so nothing was changed. Please try again in a moment.');
      default:
        break;
    }
  }
  const e = err instanceof Error ? err : new Error(String(err));
  deps.logger.error({ command: name(spec), err: { message: e.message, stack: e.stack } }, 'command failed');
  return reply.notice('error', APOLOGY);
}

function optionLabel(o: { name: string }): string {
  return o.name.toUpperCase();
}

/** Checks arguments against the spec: required, integers, choices, length caps. Returns an error reply or clean args. */
function validate(spec: CommandSpec, raw: CommandArgs, deps: CoreDeps): { args: CommandArgs } | { error: Reply } {
  const args: CommandArgs = {};
  for (const o of spec.options) {
    const v = raw?.[o.name];
    if (v === undefined || v === null || (typeof v === 'string' && cleanText(v) === '')) {
      if (o.required) return { error: usageReply(spec, `Missing ${optionLabel(o)}.`) };
      continue;
    }
    if (o.type === 'integer') {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (!Number.isSafeInteger(n)) return { error: usageReply(spec, `${optionLabel(o)} must be a whole number.`) };
      args[o.name] = n;
      continue;
    }
    const s = String(v).trim();
    const cap = o.rest ? deps.config.maxQueryLength : Math.min(64, deps.config.maxQueryLength);
    if (s.length > cap) {
      return { error: reply.notice('warning', `${optionLabel(o)} is too long: at most ${cap} characters (got ${s.length}).`) };
    }
    if (o.choices && !o.choices.some((c) => c.toLowerCase() === s.toLowerCase())) {
      return { error: usageReply(spec, `${optionLabel(o)} must be one of: ${o.choices.join(', ')}.`) };
    }
    args[o.name] = s;
  }
  return { args };
}

function who(spec: CommandSpec): string {
  return spec.command === 'digest' ? "this channel's digest" : 'this';
}

/** Validates, checks where and who, runs; never throws. */
export async function runCommand(spec: CommandSpec, ctx: CommandContext, args: CommandArgs, deps: CoreDeps): Promise<Reply> {
  if (!deps.onCommand) return answer(spec, ctx, args, deps);
  const started = performance.now();
  try {
    return await answer(spec, ctx, args, deps);
  } finally {
    try {
      deps.onCommand({ command: name(spec), ms: performance.now() - started });
    } catch {
      // Metrics must never cost the user a reply.
    }
  }
}

async function answer(spec: CommandSpec, ctx: CommandContext, args: CommandArgs, deps: CoreDeps): Promise<Reply> {
  try {
    const limited = checkRate(ctx, deps);
    if (limited) return limited;
    const checked = validate(spec, args ?? {}, deps);
    if ('error' in checked) return checked.error;
    if (spec.needsChannel && !ctx.channel) {
      return reply.notice(
        'warning',
        `${name(spec)} works in a channel, not in a direct message.${spec.command === 'digest' ? ' For your own digest use /topics.' : ''}`,
      );
    }
    if (spec.permission === 'manage-channel' && !ctx.canManageChannel) {
      return reply.notice('error', `Only people who can manage this channel can change ${who(spec)}. Ask a channel manager, or use /topics for your own digest.`);
    }
    return await spec.run(ctx, checked.args, deps);
  } catch (err) {
    return errorReply(err, spec, deps);
  }
}

/** A button press: `page` reruns the lookup at that page, `subscribe` follows the topic, `save`/`unsave`/`saved` work the caller's saved list. */
export async function runAction(action: Action, ctx: CommandContext, deps: CoreDeps): Promise<Reply> {
  try {
    const limited = checkRate(ctx, deps);
    if (limited) return limited;
    switch (action?.type) {
      case 'page':
        return await searchPapers(String(action.query ?? ''), Number(action.page), deps);
      case 'subscribe':
        return await addTopic('user', ctx, action.topic, deps);
      case 'save':
        return await savePaper(ctx, action.paperId, deps);
      case 'unsave':
        return await unsavePaper(ctx, action.paperId, Number(action.page), deps);
      case 'saved':
        return await savedList(ctx, Number(action.page), deps);
      case 'like':
        return await papersLike(String(action.paperId ?? ''), deps);
      case 'digest':
        return await showAll(action, deps);
      default:
        return reply.notice('warning', 'That button is no longer supported; please run the command again.');
    }
  } catch (err) {
    return errorReply(err, undefined, deps);
  }
}
