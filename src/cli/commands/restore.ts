import type { Command } from 'commander';
import { jsonStorePath, restoreJsonBackup } from '../../store/index.ts';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { cliConfig } from '../runtime.ts';

export function registerRestore(program: Command, io: Io): void {
  program
    .command('restore')
    .description("put the JSON store's last good backup (PATH.bak) back; the files it replaces are kept aside, never deleted")
    .option('--json', 'print machine-readable JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config } = cliConfig();
      const path = jsonStorePath(config.databaseUrl);
      if (!path) throw new CliError('restore works on the JSON store (DATABASE_URL=file:PATH) only; restore PostgreSQL with its own tools.');
      const result = await restoreJsonBackup(path);
      if (opts.json) printJson(io, result);
      else {
        printLine(io, `Restored ${result.restored} from ${result.from}: ${result.papers} papers, ${result.destinations} destinations.`);
        for (const f of result.keptAside) printLine(io, `Kept the replaced file as ${f}`);
      }
    });
}
