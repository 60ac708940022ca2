import { isPaperboyError, paperSources, type PaperHit, type ReplyBlock } from '../../core/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { printJson, printReply, type Io } from '../output.ts';
import { withRuntime } from '../runtime.ts';

export function hitJson(hit: PaperHit, rank: number) {
  const p = hit.paper;
  return {
    rank,
    id: p.id,
    title: p.title,
    upvotes: p.upvotes,
    score: Number(hit.score.toFixed(4)),
    matched: hit.matched,
    listedOn: p.listedOn,
    authors: p.authors,
    summary: p.aiSummary ?? null,
    sources: paperSources(p),
    categories: p.categories ?? [],
    arxiv: p.arxiv ?? null,
    links: { ...p.links, code: p.githubRepo ?? null, project: p.projectPage ?? null },
  };
}

/** `--limit N` (any N: more than the matches gives them all) or `--all`; `total` is always exact. */
export async function searchAction(io: Io, words: string[], opts: { limit: number; all?: boolean; json?: boolean }): Promise<void> {
  const query = words.join(' ').trim();
  await withRuntime({ withIndex: true }, async ({ deps }) => {
    let result: ReturnType<typeof deps.index.search>;
    try {
      result = deps.index.search(query, { limit: opts.all ? Infinity : opts.limit });
    } catch (e) {
      if (isPaperboyError(e) && (e.code === 'invalid_query' || e.code === 'usage')) throw new CliError(e.message, EXIT.usage);
      throw e;
    }
    const indexed = deps.index.size();
    if (opts.json) {
      printJson(io, { query, total: result.total, indexed, results: result.hits.map((h, i) => hitJson(h, i + 1)) });
      return;
    }
    const blocks: ReplyBlock[] = [];
    if (indexed === 0) {
      blocks.push({ type: 'notice', level: 'warning', text: 'No papers stored yet: run `paperboy fetch --days 7` or `paperboy import FILE.jsonl.gz` first.' });
    } else if (result.total === 0) {
      blocks.push({ type: 'notice', level: 'info', text: `No paper among ${indexed} matches "${query}".` });
    } else {
      blocks.push({ type: 'header', text: `${result.total} papers match "${query}" (showing ${result.hits.length}, of ${indexed} stored)` });
      result.hits.forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: i + 1 }));
    }
    printReply(io, { ephemeral: true, blocks });
  });
}
