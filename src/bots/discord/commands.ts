/**
 * Slash command registration from the neutral command specs: `/papers QUERY` with the query as
 * its first required option, `/topics` and `/digest` with subcommands. One bulk overwrite (PUT),
 * globally or to one guild, so registering again at start-up changes nothing. /papers and /topics
 * can be installed by a person as well as a server; /digest only by a server.
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { AppConfig } from '../../config.ts';
import { commandSpecs, commandDescriptions, type CommandName, type CommandSpec, type OptionSpec } from '../../core/commands/index.ts';
import { PaperboyError } from '../../core/index.ts';
import { truncate } from './text.ts';

/** Discord's enums, spelled out so the payload reads like the API docs. */
const OptionType = { Subcommand: 1, String: 3, Integer: 4 } as const;
const Context = { Guild: 0, BotDM: 1, PrivateChannel: 2 } as const;
/** Who installed the app: a server (bot user joins it) or a person (commands follow them anywhere). */
const Install = { Guild: 0, User: 1 } as const;
/** Manage Channels (1 << 4). Discord's OpenAPI types this field as an integer bit set. */
export const MANAGE_CHANNELS_BIT = 16;

export interface CommandOptionJson {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  options?: CommandOptionJson[];
}

export interface CommandJson {
  name: CommandName;
  description: string;
  type: 1;
  options: CommandOptionJson[];
  contexts: number[];
  integration_types: number[];
  default_member_permissions?: number;
  /** Legacy twin of `contexts` for clients that predate it. */
  dm_permission: boolean;
}

function optionJson(o: OptionSpec): CommandOptionJson {
  const out: CommandOptionJson = {
    type: o.type === 'integer' ? OptionType.Integer : OptionType.String,
    name: o.name.toLowerCase(),
    description: truncate(o.description, 100),
    required: o.required,
  };
  // Discord forbids choices together with autocomplete; autocomplete wins (it can filter).
  if (o.autocomplete) out.autocomplete = true;
  else if (o.choices?.length) out.choices = o.choices.slice(0, 25).map((c) => ({ name: truncate(c, 100), value: truncate(c, 100) }));
  return out;
}

/** Required options must come first on Discord. */
function options(spec: CommandSpec): CommandOptionJson[] {
  return [...spec.options].sort((a, b) => Number(b.required) - Number(a.required)).map(optionJson);
}

/** The application command payloads for the given specs (default: all of Paperboy's). */
export function buildCommands(specs: CommandSpec[] = commandSpecs): CommandJson[] {
  const names = [...new Set(specs.map((s) => s.command))];
  return names.map((name): CommandJson => {
    const mine = specs.filter((s) => s.command === name);
    const top = mine.find((s) => !s.sub);
    // A command whose every subcommand manages a channel (/digest) needs the bot in that server;
    // the personal ones (/papers, /topics) also come with a user install, to any server or DM.
    const guildOnly = mine.every((s) => s.needsChannel);
    const contexts = guildOnly ? [Context.Guild] : [Context.Guild, Context.BotDM, Context.PrivateChannel];
    const json: CommandJson = {
      name,
      type: 1,
      description: truncate(top?.description ?? commandDescriptions[name], 100),
      options: top ? options(top) : mine.filter((s) => s.sub).map((s) => ({
        type: OptionType.Subcommand,
        name: String(s.sub),
        description: truncate(s.description, 100),
        options: options(s),
      })),
      contexts,
      dm_permission: contexts.includes(Context.BotDM),
      integration_types: guildOnly ? [Install.Guild] : [Install.Guild, Install.User],
    };
    if (mine.some((s) => s.permission === 'manage-channel')) json.default_member_permissions = MANAGE_CHANNELS_BIT;
    return json;
  });
}

export interface RegisterResult {
  registered: number;
  scope: 'global' | 'guild';
}

/** Bulk-overwrites the commands with a given REST client (the adapter's own, at start-up). */
export async function putCommands(rest: REST, discord: NonNullable<AppConfig['discord']>): Promise<RegisterResult> {
  const body = buildCommands();
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  const saved = (await rest.put(route, { body })) as unknown[];
  return { registered: Array.isArray(saved) ? saved.length : body.length, scope: discord.guildId ? 'guild' : 'global' };
}

/** `paperboy register`: registers the commands without logging in to the gateway. */
export async function registerDiscordCommands(config: AppConfig): Promise<RegisterResult> {
  const discord = config.discord;
  if (!discord) throw new PaperboyError('config', 'Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID.');
  const rest = new REST({ api: discord.apiUrl.replace(/\/+$/, '') }).setToken(discord.token);
  try {
    return await putCommands(rest, discord);
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 401) {
      throw new PaperboyError('config', 'Discord rejected DISCORD_TOKEN (401); reset the token in the Developer Portal.', undefined, { cause: err });
    }
    if (err instanceof DiscordAPIError) {
      throw new PaperboyError('upstream', `Discord refused the command registration: ${err.status} ${err.message}`, undefined, { cause: err });
    }
    const msg = err instanceof Error ? err.message : String(err);
    throw new PaperboyError('upstream', `Could not reach Discord at ${discord.apiUrl} to register commands: ${msg}`, undefined, { cause: err });
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
