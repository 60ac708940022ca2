/** What one-shot commands share: validated config, a quiet logger, the store, index and source. */
import { checkConfig, ConfigError, readEnv, type AppConfig, type Env } from '../config.ts';
import type { Clock, CoreDeps, Store } from '../core/index.ts';
import { buildCoreDeps } from '../wiring.ts';
import { createLogger, type PinoLogger } from '../logger.ts';

export interface RuntimeOptions {
  env?: Env;
  clock?: Clock;
  /** Retries of the Hugging Face client (doctor asks once). */
  hfRetries?: number;
  hfTimeoutMs?: number;
}

export function cliConfig(env: Env = process.env): { config: AppConfig; logger: PinoLogger } {
  const merged = readEnv(env);
  const { config, problems } = checkConfig(merged);
  if (!config) throw new ConfigError(problems);
  // One-shot commands stay quiet unless LOG_LEVEL asks otherwise; logs go to stderr.
  const logger = createLogger({ level: merged.LOG_LEVEL ? config.logLevel : 'warn' });
  return { config, logger };
}

export interface Runtime {
  config: AppConfig;
  deps: CoreDeps;
  store: Store;
  close(): Promise<void>;
}

/** Opens the store (and, with `withIndex`, builds the index from every stored paper). */
export async function openRuntime(opts: RuntimeOptions & { withIndex?: boolean } = {}): Promise<Runtime> {
  const { config, logger } = cliConfig(opts.env);
  const deps = await buildCoreDeps(config, {
    logger,
    withIndex: opts.withIndex === true,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.hfRetries !== undefined ? { hfRetries: opts.hfRetries } : {}),
    ...(opts.hfTimeoutMs !== undefined ? { hfTimeoutMs: opts.hfTimeoutMs } : {}),
  });
  const { store } = deps;
  let closed = false;
  return {
    config,
    deps,
    store,
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}

/** Runs `fn` with a runtime and always closes the store, so every write is flushed. */
export async function withRuntime<T>(opts: RuntimeOptions & { withIndex?: boolean }, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(opts);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
