/**
 * Discord API objects as the real service sends them (users, guilds, channels, messages,
 * INTERACTION_CREATE payloads), shaped closely enough that discord.js builds its structures.
 */
export const ChannelType = { GuildText: 0, DM: 1, GroupDM: 3, GuildAnnouncement: 5, PublicThread: 11, GuildForum: 15 } as const;

/** Every permission bit Discord defines up to 2^50; "all" for members that may do anything. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();
/** View Channel, Send Messages, Embed Links, Read History, Use Application Commands: no Manage Channels. */
export const MEMBER_PERMISSIONS = ((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 31n)).toString();
export const MANAGE_CHANNELS = 1n << 4n;

export interface UserObject {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
}

export interface ChannelObject {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  [k: string]: unknown;
}

export interface GuildSetup {
  id: string;
  name: string;
  channels: { id: string; type: number; name: string }[];
}

export function user(id: string, username = `user${id}`, bot = false): UserObject {
  return { id, username, discriminator: '0', global_name: username, avatar: null, ...(bot ? { bot: true } : {}) };
}

export function channelObject(c: { id: string; type: number; name?: string }, guildId?: string): ChannelObject {
  return {
    id: c.id,
    type: c.type,
    ...(c.name ? { name: c.name } : {}),
    ...(guildId ? { guild_id: guildId, position: 0, permission_overwrites: [], parent_id: null, nsfw: false } : {}),
    flags: 0,
    last_message_id: null,
    ...(c.type === ChannelType.GuildForum ? { available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0 } : {}),
    ...(c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement ? { topic: null, rate_limit_per_user: 0 } : {}),
  };
}

export function guildCreate(g: GuildSetup, bot: UserObject): Record<string, unknown> {
  const now = new Date(0).toISOString();
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null,
    owner_id: '1', afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0,
    explicit_content_filter: 0, mfa_level: 0, premium_tier: 0, premium_subscription_count: 0, nsfw_level: 0,
    system_channel_id: null, system_channel_flags: 0, rules_channel_id: null, public_updates_channel_id: null,
    preferred_locale: 'en-US', premium_progress_bar_enabled: false, vanity_url_code: null, application_id: null,
    features: [], emojis: [], stickers: [], threads: [], presences: [], voice_states: [], stage_instances: [],
    guild_scheduled_events: [], soundboard_sounds: [], large: false, unavailable: false, member_count: 2, joined_at: now,
    roles: [{ id: g.id, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null }],
    channels: g.channels.map((c) => channelObject(c)),
    members: [{ user: bot, roles: [], joined_at: now, deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null }],
  };
}

let counter = 0;
/** Snowflake-shaped unique ids (17+ digits), increasing. */
export function snowflake(): string {
  counter += 1;
  // A real snowflake: milliseconds since Discord's epoch above 22 bits of sequence, so ids sort by time.
  return (((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) | BigInt(counter & 0x3fffff)).toString();
}

export function messageObject(channelId: string, author: UserObject, body: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: snowflake(), channel_id: channelId, type: 0, author,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false,
    timestamp: new Date().toISOString(), edited_timestamp: null, flags: typeof body.flags === 'number' ? body.flags : 0,
    ...extra,
  };
}

export type OptionValue = string | number;

export interface InteractionWhere {
  /** Guild interactions carry a member with these permissions; DMs carry only `user`. */
  guild?: { id: string; channel: { id: string; type: number; name?: string }; permissions?: string };
  dmChannelId?: string;
  user: UserObject;
  appPermissions?: string;
  /** Reached through the person's own install (the server, if any, did not install Paperboy). */
  userInstall?: boolean;
  /** A group DM or a DM between other people (context 2): only a user install reaches it. */
  privateChannel?: string;
}

function base(type: number, applicationId: string, where: InteractionWhere): Record<string, unknown> {
  const id = snowflake();
  const common = {
    id, application_id: applicationId, type, token: `tok-${id}`, version: 1, locale: 'en-US',
    entitlements: [], app_permissions: where.appPermissions ?? ALL_PERMISSIONS, attachment_size_limit: 10_485_760,
  };
  if (where.guild) {
    const g = where.guild;
    return {
      ...common, guild_id: g.id, guild_locale: 'en-US', guild: { id: g.id, locale: 'en-US', features: [] },
      channel_id: g.channel.id, channel: channelObject(g.channel, g.id), context: 0,
      authorizing_integration_owners: where.userInstall ? { '1': where.user.id } : { '0': g.id },
      member: {
        user: where.user, roles: [], permissions: g.permissions ?? MEMBER_PERMISSIONS, joined_at: new Date(0).toISOString(),
        deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null,
      },
    };
  }
  if (where.privateChannel) {
    return {
      ...common, channel_id: where.privateChannel,
      channel: { id: where.privateChannel, type: ChannelType.GroupDM, name: 'reading group', recipients: [where.user], flags: 0, last_message_id: null, owner_id: where.user.id, icon: null },
      context: 2, authorizing_integration_owners: { '1': where.user.id }, user: where.user,
    };
  }
  const dm = where.dmChannelId ?? `dm-${where.user.id}`;
  return {
    ...common, channel_id: dm, channel: { id: dm, type: ChannelType.DM, recipients: [where.user], flags: 0, last_message_id: null },
    context: 1, authorizing_integration_owners: where.userInstall ? { '1': where.user.id } : { '0': '0' }, user: where.user,
  };
}

function optionList(options: Record<string, OptionValue>, focused?: string): Record<string, unknown>[] {
  return Object.entries(options).map(([name, value]) => ({
    name, type: typeof value === 'number' ? 4 : 3, value, ...(focused === name ? { focused: true } : {}),
  }));
}

export interface CommandInput {
  name: string;
  sub?: string;
  options?: Record<string, OptionValue>;
  commandId?: string;
}

function commandData(cmd: CommandInput, focused?: string): Record<string, unknown> {
  const opts = optionList(cmd.options ?? {}, focused);
  return {
    id: cmd.commandId ?? snowflake(), name: cmd.name, type: 1,
    options: cmd.sub ? [{ type: 1, name: cmd.sub, options: opts }] : opts,
  };
}

export function slashInteraction(applicationId: string, where: InteractionWhere, cmd: CommandInput): Record<string, unknown> {
  return { ...base(2, applicationId, where), data: commandData(cmd) };
}

export function autocompleteInteraction(applicationId: string, where: InteractionWhere, cmd: CommandInput, focused: string): Record<string, unknown> {
  return { ...base(4, applicationId, where), data: commandData(cmd, focused) };
}

export function buttonInteraction(applicationId: string, where: InteractionWhere, customId: string, message: Record<string, unknown>): Record<string, unknown> {
  return { ...base(3, applicationId, where), data: { custom_id: customId, component_type: 2 }, message };
}
