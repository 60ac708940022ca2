/**
 * A raw interaction payload (as Discord POSTs it to the Interactions Endpoint URL) -> the flow's
 * input. Read defensively: a signed body that lacks what we need is refused, never a crash.
 */
import { ApplicationCommandOptionType, ComponentType, InteractionType } from 'discord-api-types/v10';
import type { CommandContext } from '../../core/commands/index.ts';
import { botAbsent, type InteractionInput, type OptionValue } from './interaction-flow.ts';

type Json = Record<string, unknown>;

const MANAGE_CHANNELS = 1n << 4n;
const ADMINISTRATOR = 1n << 3n;

const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export type ParsedInteraction =
  | { type: 'ping' }
  | { type: 'input'; input: InteractionInput; token: string }
  | { type: 'unsupported'; reason: string };

function permissionsAllow(permissions: unknown, flag: bigint): boolean {
  if (typeof permissions !== 'string' || !/^\d+$/.test(permissions)) return false;
  const p = BigInt(permissions);
  // discord.js's memberPermissions.has() counts Administrator as every permission; so do we.
  return (p & flag) === flag || (p & ADMINISTRATOR) === ADMINISTRATOR;
}

function context(raw: Json): CommandContext | undefined {
  const member = obj(raw.member);
  const userId = str(obj(member?.user)?.id) ?? str(obj(raw.user)?.id);
  if (!userId) return undefined;
  const ctx: CommandContext = {
    platform: 'discord',
    user: { platform: 'discord', kind: 'user', id: userId },
    canManageChannel: permissionsAllow(member?.permissions, MANAGE_CHANNELS),
  };
  const guildId = str(raw.guild_id);
  const channelId = str(raw.channel_id) ?? str(obj(raw.channel)?.id);
  if (guildId && channelId) ctx.channel = { platform: 'discord', kind: 'channel', id: channelId, workspace: guildId };
  return ctx;
}

/** The subcommand (if any) and the option list that belongs to it. */
function options(data: Json): { subcommand?: string; list: Json[] } {
  const top = Array.isArray(data.options) ? (data.options.map(obj).filter(Boolean) as Json[]) : [];
  const sub = top.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (!sub) return { list: top };
  const inner = Array.isArray(sub.options) ? (sub.options.map(obj).filter(Boolean) as Json[]) : [];
  return { subcommand: str(sub.name), list: inner };
}

const optionValue = (v: unknown): v is OptionValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function parseInteraction(body: unknown): ParsedInteraction {
  const raw = obj(body);
  if (!raw) return { type: 'unsupported', reason: 'body is not a JSON object' };
  if (raw.type === InteractionType.Ping) return { type: 'ping' };
  const id = str(raw.id);
  const token = str(raw.token);
  const data = obj(raw.data);
  const ctx = context(raw);
  if (!id || !token || !data || !ctx) return { type: 'unsupported', reason: 'interaction without id, token, data or user' };
  if (raw.type === InteractionType.ApplicationCommand || raw.type === InteractionType.ApplicationCommandAutocomplete) {
    const name = str(data.name);
    if (!name) return { type: 'unsupported', reason: 'command without a name' };
    const { subcommand, list } = options(data);
    if (raw.type === InteractionType.ApplicationCommandAutocomplete) {
      const focused = list.find((o) => o.focused === true);
      const input: InteractionInput = {
        kind: 'autocomplete', id, name, subcommand, ctx,
        focused: { name: str(focused?.name) ?? '', value: focused?.value === undefined ? '' : String(focused.value) },
      };
      return { type: 'input', input, token };
    }
    const values: Record<string, OptionValue> = {};
    for (const o of list) if (str(o.name) && optionValue(o.value)) values[o.name as string] = o.value;
    return { type: 'input', input: { kind: 'command', id, name, subcommand, options: values, ctx, botAbsent: botAbsent(raw.context, raw.authorizing_integration_owners) }, token };
  }
  if (raw.type === InteractionType.MessageComponent && data.component_type === ComponentType.Button) {
    const customId = typeof data.custom_id === 'string' ? data.custom_id : '';
    return { type: 'input', input: { kind: 'button', id, customId, ctx, botAbsent: botAbsent(raw.context, raw.authorizing_integration_owners) }, token };
  }
  return { type: 'unsupported', reason: `interaction type ${String(raw.type)} is not one Paperboy answers` };
}
