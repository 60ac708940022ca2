/**
 * Loads the Hugging Face corpus fixture (one `{"date", "item"}` per line, gzipped) into `Paper`s
 * with a minimal local mapping, and replicates it with fresh ids for runs at scale. Used by
 * benchmarks and by the search tests (the real normaliser lives in src/core/sources).
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { paperLinks, type Paper } from '../../src/core/model/paper.ts';

import { CORPUS_PATH } from '../../test/support/fixtures.ts';

export { CORPUS_PATH };

const squash = (s: unknown): string => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : '');

interface RawAuthor { name?: unknown; hidden?: unknown }

/** Maps one raw Daily Papers item; undefined when it lacks an id or title. */
export function mapItem(date: string, item: Record<string, any>): Paper | undefined {
  const p = item?.paper;
  if (!p || typeof p.id !== 'string' || typeof p.title !== 'string') return undefined;
  const id = p.id.replace(/v\d+$/, '');
  const authors = Array.isArray(p.authors)
    ? (p.authors as RawAuthor[]).filter((a) => a && a.hidden !== true && typeof a.name === 'string').map((a) => squash(a.name))
    : [];
  const paper: Paper = {
    id,
    title: squash(p.title),
    abstract: squash(p.summary),
    authors,
    listedOn: date,
    upvotes: typeof p.upvotes === 'number' ? p.upvotes : 0,
    aiKeywords: Array.isArray(p.ai_keywords) ? p.ai_keywords.filter((k: unknown) => typeof k === 'string') : [],
    links: paperLinks(id),
  };
  if (typeof p.ai_summary === 'string') paper.aiSummary = squash(p.ai_summary);
  if (typeof p.publishedAt === 'string') paper.publishedAt = p.publishedAt;
  return paper;
}

/** Every distinct paper of the corpus (the first listing of a paper listed twice wins). */
export async function loadCorpus(path = CORPUS_PATH): Promise<Paper[]> {
  const seen = new Set<string>();
  const out: Paper[] = [];
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const { date, item } = JSON.parse(line) as { date: string; item: Record<string, any> };
    const paper = mapItem(date, item);
    if (paper && !seen.has(paper.id)) {
      seen.add(paper.id);
      out.push(paper);
    }
  }
  return out;
}

/**
 * `size` papers made of the corpus repeated with fresh ids (`9xxx.NNNNN`, never a real id).
 * Copies are shallow: text is shared, as it would be after interning; the index under test
 * keeps no per-paper copy of it either way.
 */
export function replicate(papers: Paper[], size: number): Paper[] {
  if (size <= papers.length) return papers.slice(0, size);
  const out: Paper[] = papers.slice();
  for (let i = papers.length, round = 1; i < size; i++) {
    const src = papers[i % papers.length]!;
    if (i % papers.length === 0) round++;
    const id = `${9000 + round}.${String(i % papers.length).padStart(5, '0')}`;
    out.push({ ...src, id, links: paperLinks(id) });
  }
  return out;
}
