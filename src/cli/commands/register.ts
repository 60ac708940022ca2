import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { cliConfig } from '../runtime.ts';

export async function registerAction(io: Io, opts: { json?: boolean }): Promise<void> {
  const { config } = cliConfig();
  if (!config.discord) {
    throw new CliError('Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example), then run `paperboy register` again.');
  }
  // Loaded only here, so other commands never load discord.js.
  const mod = await import('../../bots/discord/index.ts');
  const result = await mod.registerDiscordCommands(config);
  const scope = config.discord.guildId ? `guild ${config.discord.guildId}` : 'all servers (global; may take up to an hour to show)';
  if (opts.json) printJson(io, { ok: true, scope, result: result ?? null });
  else printLine(io, `Registered the slash commands for ${scope}.`);
}
