/**
 * Relevance benchmark (issue 12): recall and precision on the judged set (bench/lib/judged-set.ts)
 * per topic and per family, for the matcher beside today's literal one, in one table.
 *
 *   node --import tsx bench/relevance.ts [--json]
 */
import { loadCorpus } from './lib/corpus.ts';
import { JUDGED, judgedText, scoreTopic, summarize, type Family, type Summary, type TopicScore } from './lib/judged-set.ts';
import { machineLine } from './lib/machine.ts';
import { fmt, table, timed } from './lib/stats.ts';
import { PaperIndex } from '../src/core/search/index.ts';

export interface RelevanceResult {
  /** Per family, then 'all': today's and the new matcher's summary. */
  families: { family: Family | 'all'; topics: number; today: Summary; now: Summary }[];
  topics: { today: TopicScore; now: TopicScore }[];
}

function familyRows(scores: { today: TopicScore; now: TopicScore }[]): RelevanceResult['families'] {
  const families = [...new Set(JUDGED.map((j) => j.family))];
  const of = (f: Family | 'all') => scores.filter((s) => f === 'all' || s.now.family === f);
  return [...families, 'all' as const].map((family) => ({
    family,
    topics: of(family).length,
    today: summarize(of(family).map((s) => s.today)),
    now: summarize(of(family).map((s) => s.now)),
  }));
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const corpus = await loadCorpus();
  const texts = corpus.map(judgedText);
  const run = (ix: PaperIndex) =>
    JUDGED.map((j) => scoreTopic(j, corpus, texts, new Set(ix.search(j.topic, { limit: Infinity }).hits.map((h) => h.paper.id))));
  const today = run(timed(() => new PaperIndex(corpus, { literal: true })).value);
  const now = run(timed(() => new PaperIndex(corpus)).value);
  const topics = today.map((t, i) => ({ today: t, now: now[i]! }));
  const result: RelevanceResult = { families: familyRows(topics), topics };
  if (json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const p = (x: number) => fmt(x, 3);
  console.log(`Relevance on the judged set: ${JUDGED.length} topics over ${corpus.length} corpus papers. Machine: ${machineLine()}\n`);
  console.log(table(
    ['family', 'topic', 'relevant', 'other form', "today's R", "today's P", 'R', 'P', 'other found', 'drift hits'],
    topics.map(({ today: a, now: b }) => [
      b.family, b.topic, String(b.relevant), String(b.otherForm), p(a.recall), p(a.precision), p(b.recall), p(b.precision),
      `${b.otherFound}/${b.otherForm} (today ${a.otherFound})`, `${b.driftHits} (today ${a.driftHits})`,
    ]),
  ));
  console.log('');
  console.log(table(
    ['family', 'topics', "today's macro R", "today's other-form R", "today's macro P", 'macro R', 'other-form R', 'macro P', 'micro P', 'min phrase P', 'drift hits'],
    result.families.map((f) => [
      f.family, String(f.topics), p(f.today.macroRecall), p(f.today.otherFormRecall), p(f.today.macroPrecision),
      p(f.now.macroRecall), p(f.now.otherFormRecall), p(f.now.macroPrecision), p(f.now.microPrecision),
      Number.isFinite(f.now.minPhrasePrecision) ? p(f.now.minPhrasePrecision) : '-', String(f.now.driftHits),
    ]),
  ));
  console.log('\nFloors: macro R >= 0.97, other-form R >= 0.90, P >= 0.95 overall and >= 0.90 per multi-word topic, 0 drift hits.');
}

await main();
