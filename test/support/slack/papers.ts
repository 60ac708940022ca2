/** Real papers for Slack tests: the Daily Papers fixtures, normalised by the real parser. */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CORPUS_PATH, HF_DAYS_DIR } from '../fixtures.ts';
import { normaliseDay, normaliseItem } from '../../../src/core/sources/index.ts';
import type { Paper } from '../../../src/core/index.ts';



export function realPapers(): Paper[] {
  const dir = HF_DAYS_DIR;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => normaliseDay(JSON.parse(readFileSync(dir + f, 'utf8')) as unknown[], f.replace('.json', '')).papers);
}

/**
 * The corpus papers with the longest titles, abstracts, summaries and author lists, and the most
 * markup characters in titles (limit tests). Ranked on the raw items, so only the picks are parsed.
 */
export function extremePapers(): Paper[] {
  const lines = gunzipSync(readFileSync(CORPUS_PATH)).toString('utf8').split('\n');
  type Raw = { date: string; item: { paper?: { title?: string; summary?: string; ai_summary?: string; authors?: unknown[] } } };
  const raws: Raw[] = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as Raw);
  const top = (key: (r: Raw) => number) => [...raws].sort((a, b) => key(b) - key(a)).slice(0, 5);
  const picked = [
    ...top((r) => r.item.paper?.title?.length ?? 0),
    ...top((r) => r.item.paper?.summary?.length ?? 0),
    ...top((r) => r.item.paper?.ai_summary?.length ?? 0),
    ...top((r) => r.item.paper?.authors?.length ?? 0),
    ...top((r) => (r.item.paper?.title?.match(/[*_~`<>&]/g) ?? []).length),
  ];
  const papers = picked.flatMap((r) => {
    const n = normaliseItem(r.item, r.date);
    return n.ok ? [n.paper] : [];
  });
  return [...new Map(papers.map((p) => [p.id, p])).values()];
}
