import { createApp } from '../../app.ts';
import { createLogger } from '../../logger.ts';
import { readEnv } from '../../config.ts';
import { cliConfig } from '../runtime.ts';

export async function startAction(): Promise<void> {
  const { config } = cliConfig();
  const terminal = !config.discord && !config.slack;
  // At a prompt, logs would bury the replies (the terminal says plainly when Hugging Face is down,
  // and retry warnings would interleave with typing); LOG_LEVEL still wins when set.
  const level = readEnv().LOG_LEVEL || !terminal ? config.logLevel : 'error';
  const app = await createApp(config, { logger: createLogger({ level }) });
  const leave = () => void app.stop();
  process.once('SIGINT', leave);
  process.once('SIGTERM', leave);
  // Ctrl-C may come while starting (first fetch): then leaving wins over finishing the start.
  const starting = app.start();
  const first = await Promise.race([starting.then(() => 'started' as const), app.done.then(() => 'stopped' as const)]).catch(async (e: unknown) => {
    await app.stop();
    throw e;
  });
  if (first === 'stopped') starting.catch(() => {});
  await app.done;
}
