/** A first start with an empty store fetches recent days, so lookups work at once. */
import type { CoreDeps } from '../core/index.ts';
import { fetchDays, lastDays } from './fetch.ts';
import { createProgressBar } from './progress.ts';

export async function firstRunFetch(
  deps: CoreDeps,
  output: NodeJS.WritableStream & { isTTY?: boolean },
  opts: { days: number; print: (text: string) => void; now?: Date; signal?: AbortSignal },
): Promise<void> {
  const stored = await deps.store.countPapers();
  if (stored > 0 || opts.days <= 0 || !deps.source) {
    if (stored > 0) opts.print(`${stored} papers stored.`);
    return;
  }
  const now = opts.now ?? deps.clock.now();
  const days = lastDays(now, opts.days);
  opts.print(`First start: fetching the last ${days.length} days of Hugging Face Daily Papers…`);
  const bar = createProgressBar(output, days.length);
  const result = await fetchDays(deps, days, { now, onProgress: (p) => bar.update(p), ...(opts.signal ? { signal: opts.signal } : {}) });
  bar.stop();
  if (opts.signal?.aborted) return;
  if (result.error) {
    const have = await deps.store.countPapers();
    opts.print(
      `Hugging Face could not be reached (${result.error.message}). ` +
        `Working with the ${have} papers already stored; new ones come with the next successful fetch.`,
    );
    return;
  }
  opts.print(`Fetched ${result.papers} papers from ${result.days.length} days.`);
}
