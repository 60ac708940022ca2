/** Real papers for Slack tests: the shared Daily Papers responses, normalised by the real parser. */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { normaliseDay, normaliseItem } from '../../../src/core/sources/index.ts';
import type { Paper } from '../../../src/core/index.ts';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export function realPapers(): Paper[] {
  const dir = `${DATA}hf-daily-papers/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => normaliseDay(JSON.parse(readFileSync(dir + f, 'utf8')) as unknown[], f.replace('.json', '')).papers);
}

/** The corpus papers with the longest titles, abstracts, summaries and author lists (limit tests). */
export function extremePapers(): Paper[] {
  const lines = gunzipSync(readFileSync(`${DATA}hf-daily-papers-corpus.jsonl.gz`)).toString('utf8').split('\n');
  const papers: Paper[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const { date, item } = JSON.parse(line) as { date: string; item: unknown };
    const r = normaliseItem(item, date);
    if (r.ok) papers.push(r.paper);
  }
  const top = (key: (p: Paper) => number) => [...papers].sort((a, b) => key(b) - key(a)).slice(0, 5);
  const picked = [
    ...top((p) => p.title.length),
    ...top((p) => p.abstract.length),
    ...top((p) => p.aiSummary?.length ?? 0),
    ...top((p) => p.authors.length),
    ...top((p) => (p.title.match(/[*_~`<>&]/g) ?? []).length),
  ];
  return [...new Map(picked.map((p) => [p.id, p])).values()];
}
