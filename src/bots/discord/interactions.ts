/**
 * Gateway interactions (discord.js objects) -> the transport-neutral flow in interaction-flow.ts.
 */
import {
  MessageFlags, PermissionFlagsBits,
  type BaseInteraction, type Interaction, type InteractionReplyOptions, type RepliableInteraction,
} from 'discord.js';
import type { CommandContext } from '../../core/commands/index.ts';
import { botAbsent, handleInteractionInput, type FlowDeps, type InteractionInput, type InteractionIO, type OptionValue } from './interaction-flow.ts';
import { answerBody, type DiscordMessage } from './render.ts';

export type InteractionHandlerDeps = FlowDeps;

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
  return { ...answerBody(m, ephemeral), allowedMentions: { parse: [] } };
}

/** discord.js keeps the raw owners map on AuthorizingIntegrationOwners' `data`. */
function absent(i: BaseInteraction): boolean {
  const owners = (i.authorizingIntegrationOwners as unknown as { data?: unknown } | null)?.data;
  return botAbsent(i.context, owners);
}

function toInput(i: Interaction): InteractionInput | undefined {
  if (i.isAutocomplete()) {
    const focused = i.options.getFocused(true);
    return {
      kind: 'autocomplete', id: i.id, name: i.commandName, subcommand: i.options.getSubcommand(false) ?? undefined,
      focused: { name: focused.name, value: String(focused.value ?? '') }, ctx: commandContext(i),
    };
  }
  if (i.isChatInputCommand()) {
    const options: Record<string, OptionValue> = {};
    const sub = i.options.getSubcommand(false) ?? undefined;
    const list = sub ? (i.options.data[0]?.options ?? []) : i.options.data;
    for (const o of list) if (o.value !== undefined && o.value !== null) options[o.name] = o.value;
    return { kind: 'command', id: i.id, name: i.commandName, subcommand: sub, options, ctx: commandContext(i), botAbsent: absent(i) };
  }
  if (i.isButton()) return { kind: 'button', id: i.id, customId: i.customId, ctx: commandContext(i), botAbsent: absent(i) };
  return undefined;
}

function gatewayIO(i: Interaction): InteractionIO {
  const r = i as RepliableInteraction & { isButton(): boolean; deferUpdate(): Promise<unknown> };
  return {
    reply: async (m, ephemeral) => void (await r.reply(payload(m, ephemeral))),
    deferReply: async () => void (await r.deferReply({ flags: MessageFlags.Ephemeral })),
    deferUpdate: async () => void (await r.deferUpdate()),
    editReply: async (m) => void (await r.editReply({ ...answerBody(m, false), allowedMentions: { parse: [] } })),
    followUp: async (m, ephemeral) => void (await r.followUp(payload(m, ephemeral))),
    choices: async (c) => {
      if (i.isAutocomplete()) await i.respond(c);
    },
    get acknowledged() {
      if (i.isAutocomplete()) return i.responded;
      return r.deferred || r.replied;
    },
  };
}

export async function handleInteraction(i: Interaction, h: InteractionHandlerDeps): Promise<void> {
  const input = toInput(i);
  if (input) await handleInteractionInput(input, gatewayIO(i), h);
}
