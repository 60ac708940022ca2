import { canonicalCategory, closeCategories } from '../../core/sources/arxiv/index.ts';
import { createProgressBar, fetchArxiv, fetchDays, lastDays } from '../../schedule/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';
import { withRuntime } from '../runtime.ts';

export async function fetchAction(io: Io, opts: { days: number; arxiv?: string; json?: boolean }): Promise<void> {
  if (opts.arxiv !== undefined) return fetchArxivAction(io, opts.arxiv, opts);
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

/** `cs.CL,eess.AS` -> the taxonomy's spellings; an unknown one is bad usage, with the close ones. */
export function categoriesArg(raw: string): string[] {
  const out: string[] = [];
  for (const c of raw.split(/[\s,+]+/).filter(Boolean)) {
    const known = canonicalCategory(c);
    if (!known) {
      const close = closeCategories(c);
      throw new CliError(`"${c}" is not an arXiv category${close.length ? ` (close: ${close.join(', ')})` : ''}. See https://arxiv.org/category_taxonomy`, EXIT.usage);
    }
    if (!out.includes(known)) out.push(known);
  }
  if (out.length === 0) throw new CliError('--arxiv needs categories, like --arxiv cs.CL or --arxiv cs.CL,eess.AS', EXIT.usage);
  return out;
}

const STEPS = { feed: 1, details: 2, stored: 3 } as const;

async function fetchArxivAction(io: Io, raw: string, opts: { json?: boolean }): Promise<void> {
  const categories = categoriesArg(raw);
  await withRuntime({}, async ({ deps }) => {
    const bar = createProgressBar(io.stderr, 3, `arXiv ${categories.join('+')}`);
    const result = await fetchArxiv(deps, categories, {
      now: deps.clock.now(),
      onProgress: (p) => p.done === p.total && bar.update({ done: STEPS[p.step], total: 3, day: p.step, papers: p.step === 'stored' ? p.done : 0 }),
    });
    bar.stop();
    const stored = await deps.store.countPapers();
    if (opts.json) printJson(io, { ...result, stored });
    else if (result.unchanged) printLine(io, `arXiv's announcement of ${categories.join(', ')} has not changed since the last fetch; ${stored} papers stored.`);
    else if (!result.error && result.announced === 0) printLine(io, `arXiv announced nothing in ${categories.join(', ')} on ${weekday(result.day)} (weekends and holidays have no announcement); ${stored} papers stored.`);
    else if (!result.error) {
      printLine(io, `Fetched arXiv's announcement of ${categories.join(', ')} for ${result.day}: ${result.announced} new and cross-listed papers (${result.added} new to the store), ${result.replaced} replacements of stored papers, ${result.detailed} filled in from the export API; ${stored} stored.`);
    }
    if (result.error) throw new CliError(`arXiv could not be read for ${categories.join(', ')}: ${result.error}`);
  });
}

function weekday(day: string | undefined): string {
  return day ? new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }) : 'that day';
}
