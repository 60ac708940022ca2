/** Real deps for command and digest tests: the memory store, the real index, real fixture papers. */
import { readFileSync } from 'node:fs';
import { HF_DAYS_DIR } from '../../support/fixtures.ts';
import type { CommandContext, CoreConfig, CoreDeps } from '../../../src/core/commands/index.ts';
import { defaultCoreConfig } from '../../../src/core/commands/index.ts';
import type { Paper } from '../../../src/core/model/index.ts';
import type { Logger } from '../../../src/core/ports.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { normaliseDay } from '../../../src/core/sources/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';

const DATA = HF_DAYS_DIR;

/** The real papers Hugging Face listed on `day` (one of the fixture days), normalised by the real normaliser. */
export function loadDay(day: string): Paper[] {
  const raw = JSON.parse(readFileSync(`${DATA}${day}.json`, 'utf8')) as unknown[];
  const { papers, skipped } = normaliseDay(raw, day);
  if (skipped.length) throw new Error(`${day}: ${skipped.length} items skipped`);
  return papers;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export function captureLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object | string, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export type TestDeps = CoreDeps & { logger: ReturnType<typeof captureLogger>; setNow(iso: string): void };

export async function makeDeps(days: string[], config: Partial<CoreConfig> = {}, now = '2026-06-26T12:00:00Z'): Promise<TestDeps> {
  const store = createMemoryStore();
  const papers = days.flatMap(loadDay);
  await store.upsertPapers(papers);
  let current = new Date(now);
  return {
    store,
    index: createSearchIndex(await store.allPapers()),
    clock: { now: () => current },
    logger: captureLogger(),
    config: { ...defaultCoreConfig, ...config },
    setNow(iso: string) {
      current = new Date(iso);
    },
  };
}

/** A caller on the terminal platform; in a channel unless `channel: null`. */
export function ctxOf(
  user: string,
  opts: { channel?: string | null; manage?: boolean; tz?: string; platform?: 'shell' | 'discord' | 'slack' } = {},
): CommandContext {
  const platform = opts.platform ?? 'shell';
  const channel = opts.channel === null ? undefined : { platform, kind: 'channel' as const, id: opts.channel ?? 'general' };
  return {
    platform,
    user: { platform, kind: 'user', id: user },
    ...(channel ? { channel } : {}),
    canManageChannel: opts.manage ?? false,
    ...(opts.tz ? { userTimezone: opts.tz } : {}),
  };
}
