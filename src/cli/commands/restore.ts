import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { cliConfig } from '../runtime.ts';

interface RestoreResult {
  restored: string;
  from: string;
  keptAside: string[];
  papers: number;
  destinations: number;
}

export function registerRestore(program: Command, io: Io): void {
  program
    .command('restore')
    .description("put the JSON store's last good backup (PATH.bak) back; the files it replaces are kept aside, never deleted")
    .option('--json', 'print machine-readable JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config } = cliConfig();
      if (!config.databaseUrl.startsWith('file:')) throw new CliError('restore works on the JSON store (DATABASE_URL=file:PATH) only; restore PostgreSQL with its own tools.');
      const path = config.databaseUrl.slice('file:'.length);
      const mod = (await import('../../store/index.ts')) as Record<string, unknown>;
      const restore = mod.restoreJsonBackup as ((path: string) => Promise<RestoreResult>) | undefined;
      if (typeof restore !== 'function') throw new CliError('This build cannot restore JSON backups yet.');
      const result = await restore(path);
      if (opts.json) printJson(io, result);
      else {
        printLine(io, `Restored ${result.restored} from ${result.from}: ${result.papers} papers, ${result.destinations} destinations.`);
        for (const f of result.keptAside) printLine(io, `Kept the replaced file as ${f}`);
      }
    });
}
