import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { cliConfig } from '../runtime.ts';

export function registerRestore(program: Command, io: Io): void {
  program
    .command('restore')
    .description('restore the JSON store from a backup file (the current file is kept as a backup itself)')
    .argument('<backup>', 'path to the JSON backup')
    .option('--json', 'print machine-readable JSON')
    .action(async (backup: string, opts: { json?: boolean }) => {
      if (!existsSync(backup)) throw new CliError(`No such file: ${backup}`);
      const { config } = cliConfig();
      if (!config.databaseUrl.startsWith('file:')) throw new CliError('restore works on the JSON store (DATABASE_URL=file:PATH) only.');
      const mod = (await import('../../store/index.ts')) as Record<string, unknown>;
      const restore = mod.restoreJsonBackup as ((path: string, target?: string) => Promise<unknown>) | undefined;
      if (typeof restore !== 'function') throw new CliError('This build has no JSON backup restore yet.');
      const result = await restore(backup, config.databaseUrl);
      if (opts.json) printJson(io, { ok: true, backup, result: result ?? null });
      else printLine(io, `Restored the store from ${backup}.`);
    });
}
