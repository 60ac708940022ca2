/** Bolt and the Slack SDKs log through this bridge to the app's pino-compatible logger. */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/ports.ts';

const text = (msg: unknown[]) =>
  msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');

export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'slack';
  return {
    debug: (...m: unknown[]) => logger.debug({ component: name }, text(m)),
    info: (...m: unknown[]) => logger.info({ component: name }, text(m)),
    warn: (...m: unknown[]) => logger.warn({ component: name }, text(m)),
    error: (...m: unknown[]) => logger.error({ component: name }, text(m)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: (n: string) => void (name = n),
  };
}
