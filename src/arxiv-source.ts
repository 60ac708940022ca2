/** The one arXiv source of a process (its pacer is what keeps every request within arXiv's rules). */
import type { CoreDeps } from './core/commands/spec.ts';
import type { Logger } from './core/ports.ts';
import { createArxivSource, type ArxivSource } from './core/sources/arxiv/index.ts';
import type { AppConfig } from './config.ts';

export function arxivSourceFor(config: Pick<AppConfig, 'arxiv'>, logger: Logger, fetch?: typeof globalThis.fetch): ArxivSource | undefined {
  const a = config.arxiv;
  if (!a) return undefined;
  return createArxivSource({
    rssUrl: a.rssUrl,
    apiUrl: a.apiUrl,
    intervalMs: a.intervalMs,
    logger,
    ...(a.contact ? { contact: a.contact } : {}),
    ...(fetch ? { fetch } : {}),
  });
}

/** The arXiv part of CoreDeps: the source and ARXIV_CATEGORIES. */
export function arxivDeps(config: Pick<AppConfig, 'arxiv'>, logger: Logger, fetch?: typeof globalThis.fetch): Pick<CoreDeps, 'arxiv' | 'arxivCategories'> {
  const arxiv = arxivSourceFor(config, logger, fetch);
  return arxiv ? { arxiv, arxivCategories: config.arxiv?.categories ?? [] } : {};
}
