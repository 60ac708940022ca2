import type { Command } from 'commander';
import { createApp } from '../../app.ts';
import { createLogger } from '../../logger.ts';
import { readEnv } from '../../config.ts';
import { cliConfig } from '../runtime.ts';

export function registerStart(program: Command): void {
  program
    .command('start', { isDefault: true })
    .description('run the bot: Discord and/or Slack when configured, otherwise a terminal prompt (default)')
    .action(async () => {
      const { config } = cliConfig();
      const terminal = !config.discord && !config.slack;
      // At a prompt, info logs would bury the replies; LOG_LEVEL still wins when set.
      const level = readEnv().LOG_LEVEL || !terminal ? config.logLevel : 'warn';
      const app = await createApp(config, { logger: createLogger({ level }) });
      const leave = () => void app.stop();
      process.once('SIGINT', leave);
      process.once('SIGTERM', leave);
      try {
        await app.start();
      } catch (e) {
        await app.stop();
        throw e;
      }
      await app.done;
    });
}
