import { isPaperboyError, type CoreDeps, type Paper, type ReplyBlock } from '../../core/index.ts';
import { mergeHits, rankHits } from '../../core/digests/index.ts';
import { matchTopics } from '../../core/search/index.ts';
import { parseQuery } from '../../core/topics/index.ts';
import { localDay } from '../../core/schedule/index.ts';
import { indexPapers } from '../../schedule/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { printJson, printReply, warn, type Io } from '../output.ts';
import { withRuntime } from '../runtime.ts';
import { hitJson } from './search.ts';

/** The day's papers from the store, fetched from Hugging Face first when that day was never stored. */
async function papersOfDay(deps: CoreDeps, day: string, io: Io): Promise<{ papers: Paper[]; fetched: boolean }> {
  const stored = await deps.store.papersListedBetween(day, day);
  if (stored.length > 0 || (await deps.store.fetchedDays()).has(day)) return { papers: stored, fetched: false };
  if (!deps.source) return { papers: stored, fetched: false };
  warn(io, `${day} is not stored yet; fetching it from Hugging Face…`);
  let papers: Paper[];
  try {
    papers = await deps.source.fetchDay(day);
  } catch (e) {
    throw new CliError(`Hugging Face could not be reached for ${day}: ${e instanceof Error ? e.message : String(e)}`);
  }
  await deps.store.upsertPapers(papers);
  await deps.store.markDayFetched(day, deps.clock.now().toISOString(), papers.length);
  indexPapers(deps, papers);
  return { papers: await deps.store.papersListedBetween(day, day), fetched: true };
}

export async function digestAction(io: Io, opts: { topic: string; date?: string; limit: number; json?: boolean }): Promise<void> {
  const topic = opts.topic.trim();
  try {
    parseQuery(topic);
  } catch (e) {
    if (isPaperboyError(e)) throw new CliError(`--topic: ${e.message}`, EXIT.usage);
    throw e;
  }
  await withRuntime({}, async ({ deps }) => {
    const day = opts.date ?? localDay(deps.clock.now(), 'UTC');
    const { papers, fetched } = await papersOfDay(deps, day, io);
    const hits = rankHits(mergeHits(matchTopics([topic], papers, deps.index.lexicon), [topic]));
    const shown = hits.slice(0, opts.limit);
    const moreUrl = `https://huggingface.co/papers?date=${day}`;
    if (opts.json) {
      printJson(io, { date: day, topic, fetched, listed: papers.length, total: hits.length, moreUrl, papers: shown.map((h, i) => hitJson(h, i + 1)) });
      return;
    }
    const blocks: ReplyBlock[] = [{ type: 'header', text: `"${topic}" on ${day}` }];
    if (papers.length === 0) {
      blocks.push({ type: 'notice', level: 'info', text: `No papers were listed on ${day} (weekends have none).` });
    } else if (hits.length === 0) {
      blocks.push({ type: 'notice', level: 'info', text: `None of the ${papers.length} papers listed that day matches.` });
    } else {
      blocks.push({ type: 'text', text: `${hits.length} of ${papers.length} papers listed that day match.` });
      shown.forEach((hit, i) => blocks.push({ type: 'paper', hit, rank: i + 1 }));
      if (hits.length > shown.length) blocks.push({ type: 'more', count: hits.length - shown.length, url: moreUrl });
    }
    printReply(io, { ephemeral: true, blocks });
  });
}
