import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { importCorpus } from '../../import/index.ts';
import { CliError } from '../errors.ts';
import { printJson, printLine, warn, type Io } from '../output.ts';
import { withRuntime } from '../runtime.ts';

export async function importAction(io: Io, file: string, opts: { json?: boolean }): Promise<void> {
  if (!existsSync(file)) throw new CliError(`No such file: ${file}`);
  await withRuntime({}, async ({ deps }) => {
    const bar = io.stderr.isTTY ? new cliProgress.SingleBar({ stream: io.stderr, format: 'Importing {bar} {value}/{total} lines', clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
    let started = false;
    const result = await importCorpus(file, deps.store, {
      logger: deps.logger,
      onProgress(done, total) {
        if (!bar) return;
        if (!started) bar.start(total ?? done, 0);
        started = true;
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      },
    });
    bar?.stop();
    const stored = await deps.store.countPapers();
    if (opts.json) {
      printJson(io, { ...result, stored });
      return;
    }
    printLine(io, `Imported ${result.papers} papers from ${result.items} items over ${result.days} days (${result.added} new, ${result.updated} updated); ${stored} stored.`);
    if (result.skipped > 0) {
      warn(io, `Skipped ${result.skipped} lines (${result.malformed} malformed):`);
      for (const p of result.problems.slice(0, 10)) warn(io, `  line ${p.line}${p.id ? ` (${p.id})` : ''}: ${p.reason}`);
    }
    if (result.papers === 0 && result.skipped > 0) throw new CliError('Nothing could be imported from this file.');
  });
}
