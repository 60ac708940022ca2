/**
 * How a topic will be read, for `/topics add` and `/digest add`: each clause's other forms that
 * the papers actually use, and how many papers of the last few stored listing days it matches.
 */
import type { ExpandedQuery } from './expand.ts';

export interface TopicReading {
  /** One line per clause read in other forms: `LLM = "large language models"`. */
  forms: string[];
  /** Listing days looked at (the latest stored, at most the days asked for). */
  days: number;
  /** Matches among the papers listed on those days. */
  recent: number;
  /** Matches among every stored paper. */
  total: number;
}

/** The most recent `n` listing days among `days` (a day -> paper count map). */
export function latestDays(days: Map<string, number>, n: number): string[] {
  return [...days.keys()].filter((d) => (days.get(d) ?? 0) > 0).sort().reverse().slice(0, n);
}

export function describeReading(
  x: ExpandedQuery,
  hasTerm: (term: string) => boolean,
  /** The listing day of each match. */
  matched: string[],
  recentDays: string[],
): TopicReading {
  const forms: string[] = [];
  for (const g of x.groups) {
    for (const { clause, forms: fs } of g.clauses) {
      const used = fs.slice(1).filter((f) => f.shown && !f.reordered && f.terms.every(hasTerm)).map((f) => `"${f.shown}"`);
      const unique = [...new Set(used)];
      if (unique.length) forms.push(`${clause.text} = ${unique.slice(0, 6).join(', ')}${unique.length > 6 ? ', …' : ''}`);
    }
  }
  const days = new Set(recentDays);
  return { forms, days: recentDays.length, recent: matched.filter((d) => days.has(d)).length, total: matched.length };
}
