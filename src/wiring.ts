/**
 * The one place that builds what the core runs on, for the app (`npm start`) and the CLI's
 * one-shot commands alike: the store, the search index over its papers, the paper source and the
 * core's dependencies.
 */
import { arxivDeps } from './arxiv-source.ts';
import type { AppConfig } from './config.ts';
import { defaultCoreConfig, systemClock, type Clock, type CoreDeps, type Logger } from './core/index.ts';
import { createRateLimiter } from './core/limits/index.ts';
import { createSearchIndex } from './core/search/index.ts';
import { createHfSource } from './core/sources/index.ts';
import type { MetricsRegistry } from './http/metrics.ts';
import { timedSource } from './http/timed.ts';
import { openStore } from './store/index.ts';

export interface CoreWiringOptions {
  logger: Logger;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  /** Retries of the Hugging Face client after the first try. */
  hfRetries?: number;
  hfTimeoutMs?: number;
  /** Build the index from every stored paper (default true; some CLI commands need none). */
  withIndex?: boolean;
  /** Per-user command rate limit (the chat platforms; not the CLI). */
  rateLimit?: boolean;
  /** Times source fetches into this registry. */
  metrics?: MetricsRegistry;
  onCommand?: CoreDeps['onCommand'];
}

export async function buildCoreDeps(config: AppConfig, o: CoreWiringOptions): Promise<CoreDeps> {
  const clock = o.clock ?? systemClock;
  const store = await openStore(config.databaseUrl, { logger: o.logger, clock });
  try {
    const index = createSearchIndex(o.withIndex === false ? [] : await store.allPapers());
    const hf = createHfSource({
      baseUrl: config.hfEndpoint,
      logger: o.logger,
      ...(o.fetch ? { fetch: o.fetch } : {}),
      ...(o.hfRetries !== undefined ? { maxRetries: o.hfRetries } : {}),
      ...(o.hfTimeoutMs !== undefined ? { timeoutMs: o.hfTimeoutMs } : {}),
    });
    return {
      store,
      index,
      clock,
      logger: o.logger,
      source: o.metrics ? timedSource('huggingface', o.metrics, hf) : hf,
      ...arxivDeps(config, o.logger, o.fetch),
      ...(o.rateLimit ? { limiter: createRateLimiter() } : {}),
      config: { ...defaultCoreConfig, digestTime: config.digestTime, digestTimezone: config.digestTimezone },
      ...(o.onCommand ? { onCommand: o.onCommand } : {}),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
