/** Real papers for store tests: the Daily Papers fixtures, through the real normaliser. */
import { readFileSync } from 'node:fs';
import { HF_DAYS_DIR } from '../support/fixtures.ts';
import type { Paper } from '../../src/core/model/index.ts';
import { normaliseDay } from '../../src/core/sources/index.ts';

const dir = HF_DAYS_DIR;

/** The papers Hugging Face listed on `day` (one of the fixture days). */
export function realPapers(day: string): Paper[] {
  const items = JSON.parse(readFileSync(`${dir}${day}.json`, 'utf8')) as unknown[];
  const { papers } = normaliseDay(items, day);
  if (papers.length === 0) throw new Error(`no papers in fixture ${day}.json`);
  return papers;
}

export const REAL_DAYS = ['2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26'] as const;
