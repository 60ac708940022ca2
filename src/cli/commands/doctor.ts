import pc from 'picocolors';
import { checkConfig, readEnv } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { checkArxiv, checkDiscord, checkDiscordKey, checkHf, checkSlack, checkStore, type Check } from './doctor-checks.ts';

export async function doctorAction(io: Io, opts: { json?: boolean }): Promise<void> {
  const { config, problems } = checkConfig(readEnv());
  const checks: Check[] = problems.map((p) => ({ name: 'config', ok: false, detail: p }));
  if (config) {
    checks.push({ name: 'config', ok: true, detail: `platforms: ${[config.discord && 'discord', config.slack && 'slack'].filter(Boolean).join(', ') || 'none (terminal)'}` });
    const logger = createLogger({ level: 'error' });
    checks.push(...(await checkStore(config, logger)));
    checks.push(await checkArxiv(config, logger));
    const remote = [checkHf(config)];
    if (config.discord) remote.push(checkDiscord(config.discord));
    if (config.discord?.publicKey) remote.push(checkDiscordKey(config.discord.publicKey));
    if (config.slack) remote.push(checkSlack(config.slack));
    checks.push(...(await Promise.all(remote)));
  }
  const ok = checks.every((c) => c.ok);
  if (opts.json) printJson(io, { ok, checks });
  else {
    const color = io.stdout.isTTY === true;
    for (const c of checks) {
      const mark = c.ok ? (color ? pc.green('✓') : 'ok  ') : color ? pc.red('✗') : 'FAIL';
      printLine(io, `${mark} ${c.name.padEnd(12)} ${c.detail}`);
    }
  }
  if (!ok) throw new CliError(`doctor found ${checks.filter((c) => !c.ok).length} problem(s)`);
}
