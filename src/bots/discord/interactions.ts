/**
 * Slash commands, autocomplete and buttons -> neutral commands -> rendered replies. Answers
 * directly when the core is quick, otherwise defers (Discord's 3 s) and edits. One error handler.
 */
import {
  MessageFlags, PermissionFlagsBits,
  type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction,
  type InteractionReplyOptions, type BaseInteraction,
} from 'discord.js';
import { autocomplete, errorReply, findCommand, runAction, runCommand, type CommandArgs, type CommandContext, type CoreDeps } from '../../core/commands/index.ts';
import { reply as neutral, silentLogger, type Logger, type Reply } from '../../core/index.ts';
import type { ActionCodec } from './custom-id.ts';
import { renderReply, type DiscordMessage } from './render.ts';
import { LIMITS } from './text.ts';

export interface InteractionHandlerDeps {
  deps: CoreDeps;
  codec: ActionCodec;
  logger: Logger;
  /** Answer directly if the core replies within this; otherwise defer first. 0 always defers. */
  deferAfterMs: number;
}

export function commandContext(i: BaseInteraction): CommandContext {
  const ctx: CommandContext = {
    platform: 'discord',
    user: { platform: 'discord', kind: 'user', id: i.user.id },
    // Checked again here although /digest carries default_member_permissions: server admins can override those.
    canManageChannel: i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
  };
  if (i.inGuild() && i.channelId) ctx.channel = { platform: 'discord', kind: 'channel', id: i.channelId, workspace: i.guildId };
  return ctx;
}

function payload(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    content: m.content ?? '',
    embeds: m.embeds,
    components: m.components,
    allowedMentions: { parse: [] },
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function edit(m: DiscordMessage): { content: string; embeds: DiscordMessage['embeds']; components: DiscordMessage['components']; allowedMentions: { parse: [] } } {
  return { content: m.content ?? '', embeds: m.embeds, components: m.components, allowedMentions: { parse: [] } };
}

/** Resolves with the value, or undefined once `ms` passed (the timer never outlives the race). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, ms, undefined); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

type Repliable = ChatInputCommandInteraction | ButtonInteraction;

/** Sends a neutral reply to a command or button, deferring (ephemerally) if the core is slow. */
async function respond(i: Repliable, work: Promise<Reply>, h: InteractionHandlerDeps): Promise<void> {
  const quick = await within(work, h.deferAfterMs);
  if (quick) {
    const [first, ...rest] = renderReply(quick, h.codec);
    if (first) await i.reply(payload(first, quick.ephemeral));
    for (const m of rest) await i.followUp(payload(m, quick.ephemeral));
    return;
  }
  // Deferred replies fix their visibility now; personal data must never go public, so defer privately.
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const r = await work;
  const [first, ...rest] = renderReply(r, h.codec);
  if (first) await i.editReply(edit(first));
  for (const m of rest) await i.followUp(payload(m, true));
}

async function onCommand(i: ChatInputCommandInteraction, h: InteractionHandlerDeps): Promise<void> {
  const spec = findCommand(i.commandName, i.options.getSubcommand(false) ?? undefined);
  if (!spec) {
    await respond(i, Promise.resolve(neutral.notice('warning', `Unknown command /${i.commandName}; try /papers, /topics or /digest.`)), h);
    return;
  }
  const args: CommandArgs = {};
  for (const o of spec.options) {
    const v = i.options.get(o.name)?.value;
    if (typeof v === 'string' || typeof v === 'number') args[o.name] = v;
  }
  await respond(i, runCommand(spec, commandContext(i), args, h.deps), h);
}

async function onButton(i: ButtonInteraction, h: InteractionHandlerDeps): Promise<void> {
  if (!h.codec.owns(i.customId)) return; // another app's component; not ours to answer
  const action = h.codec.decode(i.customId);
  if (!action) {
    await respond(i, Promise.resolve(neutral.notice('info', 'This button has expired; run /papers again for fresh results.')), h);
    return;
  }
  const work = runAction(action, commandContext(i), h.deps);
  if (action.type !== 'page') {
    await respond(i, work, h);
    return;
  }
  // Paging edits the message in place.
  await i.deferUpdate();
  const r = await work;
  const hasResults = r.blocks.some((b) => b.type === 'paper');
  const [first, ...rest] = renderReply(r, h.codec);
  if (hasResults && first) await i.editReply(edit(first));
  for (const m of hasResults ? rest : [first, ...rest]) if (m) await i.followUp(payload(m, true));
}

async function onAutocomplete(i: AutocompleteInteraction, h: InteractionHandlerDeps): Promise<void> {
  const spec = findCommand(i.commandName, i.options.getSubcommand(false) ?? undefined);
  const focused = i.options.getFocused(true);
  const source = spec?.options.find((o) => o.name === focused.name)?.autocomplete;
  const values = source ? await autocomplete(source, String(focused.value ?? ''), commandContext(i), h.deps) : [];
  const choices = values.filter((v) => v.length > 0 && v.length <= LIMITS.choiceText).slice(0, LIMITS.choices);
  await i.respond(choices.map((v) => ({ name: v, value: v })));
}

/** The one error handler: logs, then tells the user (privately) without ever throwing. */
async function onError(i: Interaction, err: unknown, h: InteractionHandlerDeps): Promise<void> {
  h.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err), interaction: i.id }, 'discord interaction failed');
  try {
    if (i.isAutocomplete()) {
      if (!i.responded) await i.respond([]);
      return;
    }
    if (!i.isRepliable()) return;
    const [m] = renderReply(errorReply(err, undefined, { logger: silentLogger }), h.codec);
    if (!m) return;
    if (i.deferred || i.replied) await i.followUp(payload(m, true));
    else await i.reply(payload(m, true));
  } catch (again) {
    h.logger.warn({ err: String(again), interaction: i.id }, 'could not report an interaction failure');
  }
}

export async function handleInteraction(i: Interaction, h: InteractionHandlerDeps): Promise<void> {
  try {
    if (i.isAutocomplete()) await onAutocomplete(i, h);
    else if (i.isChatInputCommand()) await onCommand(i, h);
    else if (i.isButton()) await onButton(i, h);
  } catch (err) {
    await onError(i, err, h);
  }
}
