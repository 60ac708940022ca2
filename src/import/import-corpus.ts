/** Imports a corpus file into a PaperStore: normalise each item, upsert in batches, count. */
import type { Paper } from '../core/model/paper.ts';
import { silentLogger, type Logger, type PaperStore } from '../core/ports.ts';
import { normaliseItem } from '../core/sources/index.ts';
import { countCorpusLines, readCorpus } from './read-corpus.ts';

export interface ImportOptions {
  logger?: Logger;
  /** Called after each batch (and at the end) with lines handled and, when known, the total. */
  onProgress?: (done: number, total?: number) => void;
  /** Papers per `upsertPapers` call (default 500). */
  batchSize?: number;
}

export interface ImportProblem {
  line: number;
  /** The item's raw id, when it had one. */
  id?: string;
  reason: string;
}

export interface ImportResult {
  /** Corpus entries read (well-formed lines). */
  items: number;
  /** Distinct papers imported. */
  papers: number;
  /** Lines not imported: malformed lines plus items that failed validation. */
  skipped: number;
  /** Of `skipped`, the lines that were not a corpus entry at all. */
  malformed: number;
  /** Distinct days the imported items were listed on. */
  days: number;
  /** As the store reported them. */
  added: number;
  updated: number;
  /** The first problems, with line numbers (at most 100 kept). */
  problems: ImportProblem[];
}

const MAX_PROBLEMS = 100;
const MAX_LOGGED = 20;

export async function importCorpus(path: string, store: PaperStore, opts: ImportOptions = {}): Promise<ImportResult> {
  const logger = opts.logger ?? silentLogger;
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  // Only pay for a counting pass when someone draws progress.
  const total = opts.onProgress ? await countCorpusLines(path) : undefined;
  const result: ImportResult = { items: 0, papers: 0, skipped: 0, malformed: 0, days: 0, added: 0, updated: 0, problems: [] };
  const ids = new Set<string>();
  const days = new Set<string>();
  let batch: Paper[] = [];
  let batchIds = new Set<string>();
  let done = 0;

  const problem = (p: ImportProblem) => {
    result.skipped++;
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(p);
    if (result.skipped <= MAX_LOGGED) {
      logger.warn({ file: path, ...p }, `skipped line ${p.line}${p.id ? ` (paper ${p.id})` : ''}: ${p.reason}`);
    }
  };
  const flush = async () => {
    if (!batch.length) return;
    const r = await store.upsertPapers(batch);
    result.added += r.added;
    result.updated += r.updated;
    batch = [];
    batchIds = new Set();
    opts.onProgress?.(done, total);
  };

  for await (const entry of readCorpus(path)) {
    done++;
    if (!entry.ok) {
      result.malformed++;
      problem({ line: entry.line, reason: entry.error });
      continue;
    }
    result.items++;
    const r = normaliseItem(entry.item, entry.date);
    if (!r.ok) {
      problem({ line: entry.line, ...(r.id !== undefined ? { id: r.id } : {}), reason: r.reason });
      continue;
    }
    // A paper listed on two days: upsert in order so the store keeps its earliest day.
    if (batchIds.has(r.paper.id)) await flush();
    batch.push(r.paper);
    batchIds.add(r.paper.id);
    ids.add(r.paper.id);
    days.add(entry.date);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  opts.onProgress?.(done, total ?? done);
  result.papers = ids.size;
  result.days = days.size;
  if (result.skipped > MAX_LOGGED) logger.warn({ file: path, skipped: result.skipped }, `skipped ${result.skipped} lines in all`);
  logger.info({ file: path, items: result.items, papers: result.papers, skipped: result.skipped, days: result.days }, 'corpus imported');
  return result;
}
