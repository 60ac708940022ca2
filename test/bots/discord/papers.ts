/** Real papers from the Hugging Face fixtures, normalised by the project's own source code. */
import { readFileSync, readdirSync } from 'node:fs';
import { HF_DAYS_DIR } from '../../support/fixtures.ts';
import { normaliseDay } from '../../../src/core/sources/index.ts';
import type { Paper } from '../../../src/core/index.ts';

const DIR = HF_DAYS_DIR;

export function dayFiles(): string[] {
  return readdirSync(DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
}

export function loadDay(day: string): Paper[] {
  const items = JSON.parse(readFileSync(`${DIR}${day}.json`, 'utf8')) as unknown[];
  return normaliseDay(items, day).papers;
}

export function loadAllPapers(): Paper[] {
  return dayFiles().flatMap((f) => loadDay(f.replace('.json', '')));
}
