/**
 * Every fixture the tests, benchmarks and README examples read, named once. The files live in the
 * repository's own `fixtures/` folder (copied byte for byte from the team's data, with their
 * provenance and licence beside them), so a fresh clone runs everything with nothing beside it.
 */
import { fileURLToPath } from 'node:url';

const at = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

/** The repository's fixtures folder. */
export const FIXTURES_DIR = at('');
/** Raw Hugging Face `GET /api/daily_papers?date=DATE` responses, one `DATE.json` each. */
export const HF_DAYS_DIR = at('hf/');
/** 9,581 raw Daily Papers items over 558 days, `{"date", "item"}` per line, gzipped. */
export const CORPUS_PATH = at('corpus/hf-daily-papers-corpus.jsonl.gz');
/** Discord's official OpenAPI 3.1 description of its HTTP API v10. */
export const DISCORD_OPENAPI_PATH = at('discord/discord-openapi.json');
/** Real arXiv responses: `rss/` announcement feeds, `api/` and `query-*.xml` export API answers. */
export const ARXIV_DIR = at('arxiv/');

/** The path of one raw Hugging Face day. */
export const hfDayPath = (day: string): string => `${HF_DAYS_DIR}${day}.json`;
