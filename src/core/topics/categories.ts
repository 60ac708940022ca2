/**
 * `cat:CAT` in a topic or query: an arXiv category (`cat:cs.CL`) or archive (`cat:cs`,
 * `cat:quant-ph`), checked against arXiv's taxonomy. The rule, in one sentence of help: a topic
 * without cat: follows Hugging Face Daily Papers; with cat: it follows every new paper announced in
 * those categories (and Hugging Face papers in them).
 */
import { PaperboyError } from '../model/errors.ts';
import { canonicalCategory, closeCategories } from '../sources/arxiv/taxonomy.ts';

/** If `source` holds `cat:...` at `i`, the category (taxonomy spelling) and where it ends; throws for an unknown one. */
export function readCategory(source: string, i: number, negated: boolean): { category: string; end: number } | undefined {
  if (source.slice(i, i + 4).toLowerCase() !== 'cat:') return undefined;
  let j = i + 4;
  while (j < source.length && !' |"'.includes(source[j]!)) j++;
  const raw = source.slice(i + 4, j);
  const hint = 'Categories are arXiv\'s, like cat:cs.CL, cat:eess.AS or cat:quant-ph (https://arxiv.org/category_taxonomy).';
  if (negated) throw new PaperboyError('invalid_query', `-cat:${raw} cannot be excluded: cat: chooses which categories a topic follows.`, hint);
  if (!raw) throw new PaperboyError('invalid_query', 'cat: needs an arXiv category, like cat:cs.CL.', hint);
  const category = canonicalCategory(raw);
  if (!category) {
    const close = closeCategories(raw);
    const shown = raw.length > 30 ? `${raw.slice(0, 29)}…` : raw;
    throw new PaperboyError('invalid_query', `"${shown}" is not an arXiv category.${close.length ? ` Close ones: ${close.join(', ')}.` : ''}`, hint);
  }
  return { category, end: j };
}
