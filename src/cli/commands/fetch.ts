import { createProgressBar } from '../../bots/shell/index.ts';
import { fetchDays, lastDays } from '../../schedule/index.ts';
import { CliError } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { withRuntime } from '../runtime.ts';

export async function fetchAction(io: Io, opts: { days: number; json?: boolean }): Promise<void> {
  await withRuntime({}, async ({ deps }) => {
    const now = deps.clock.now();
    const days = lastDays(now, opts.days);
    const bar = createProgressBar(io.stderr, days.length);
    const result = await fetchDays(deps, days, { now, onProgress: (p) => bar.update(p) });
    bar.stop();
    const stored = await deps.store.countPapers();
    if (opts.json) printJson(io, { ...result, stored });
    else printLine(io, `Fetched ${result.papers} papers from ${result.days.length} of ${days.length} days (${result.added} new, ${result.updated} refreshed); ${stored} stored.`);
    if (result.error) throw new CliError(`Hugging Face could not be reached for ${result.error.day}: ${result.error.message}`);
  });
}
