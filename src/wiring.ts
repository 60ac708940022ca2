/**
 * The one place that builds what the core runs on, for the app (`npm start`) and the CLI's
 * one-shot commands alike: the store, the search index over its papers, the paper source and the
 * core's dependencies.
 */
import { arxivDeps } from './arxiv-source.ts';
import type { AppConfig } from './config.ts';
import { defaultCoreConfig, systemClock, type Clock, type CoreDeps, type Logger, type Store } from './core/index.ts';
import { createRateLimiter } from './core/limits/index.ts';
import { createSearchIndex } from './core/search/index.ts';
import { createHfSource } from './core/sources/index.ts';
import type { MetricsRegistry } from './http/metrics.ts';
import { timedSource } from './http/timed.ts';
import { openStore } from './store/index.ts';
import { indexDirFor, openKeptIndex, paperIndexFactory } from './index-files/index.ts';

export interface CoreWiringOptions {
  logger: Logger;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  /** Retries of the Hugging Face client after the first try. */
  hfRetries?: number;
  hfTimeoutMs?: number;
  /**
   * Restore the index from its folder, or build it from every stored paper (default true; some CLI
   * commands need none, and get an empty one).
   */
  withIndex?: boolean;
  /** Per-user command rate limit (the chat platforms; not the CLI). */
  rateLimit?: boolean;
  /** Times source fetches into this registry. */
  metrics?: MetricsRegistry;
  onCommand?: CoreDeps['onCommand'];
}

export async function buildCoreDeps(config: AppConfig, o: CoreWiringOptions): Promise<CoreDeps> {
  const clock = o.clock ?? systemClock;
  const opening = openStore(config.databaseUrl, { logger: o.logger, clock });
  // The index reads its files while the store opens.
  const kept = o.withIndex === false ? undefined : keptIndex(config, opening, o.logger);
  let store: Store;
  try {
    store = await opening;
  } catch (e) {
    await kept?.catch(() => {});
    throw e;
  }
  try {
    const index = kept ? await kept : createSearchIndex([]);
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

/**
 * The index kept in INDEX_DIR (or beside the JSON store). It lives as long as the store: closing the
 * store first finishes the index's last write (which reads the store) and gives its folder up.
 */
async function keptIndex(config: AppConfig, opening: Promise<Store>, logger: Logger) {
  const kept = await openKeptIndex({ dir: indexDirFor(config.databaseUrl, config.indexDir), store: opening, logger, factory: paperIndexFactory });
  const store = await opening;
  const closeStore = store.close.bind(store);
  store.close = async () => {
    try {
      await kept.close();
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'the search index could not be written on close; the next start catches up or rebuilds it');
    }
    await closeStore();
  };
  return kept;
}
