import { jsonStorePath, restoreJsonBackup } from '../../store/index.ts';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { cliConfig } from '../runtime.ts';

export async function restoreAction(io: Io, opts: { json?: boolean }): Promise<void> {
  const { config } = cliConfig();
  const path = jsonStorePath(config.databaseUrl);
  if (!path) throw new CliError('restore works on the JSON store (DATABASE_URL=file:PATH) only; restore PostgreSQL with its own tools.');
  const result = await restoreJsonBackup(path);
  if (opts.json) printJson(io, result);
  else {
    printLine(io, `Restored ${result.restored} from ${result.from}: ${result.papers} papers, ${result.destinations} destinations.`);
    for (const f of result.keptAside) printLine(io, `Kept the replaced file as ${f}`);
  }
}
