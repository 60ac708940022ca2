import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arxivFile, startArxivStandIn, type ArxivStandIn } from '../support/arxiv-stand-in.ts';
import { runCli, tempDir } from './run-cli.ts';

let standIn: ArxivStandIn;
beforeAll(async () => {
  standIn = await startArxivStandIn({ intervalMs: 200, feeds: { 'cs.CL': arxivFile('rss/cs.CL-2026-08-13.xml'), cs: arxivFile('rss/cs-weekend-2025-04-27.xml') } });
});
afterAll(() => standIn.close());

const envFor = (dir: string) => ({
  DATABASE_URL: `file:${join(dir, 'paperboy.json')}`,
  ARXIV_RSS_URL: standIn.url,
  ARXIV_API_URL: `${standIn.url}/api`,
  ARXIV_CONTACT: 'ops@example.org',
  // The stand-in's pacing is 200 ms here; arxiv.org hosts always get 3 s.
  ARXIV_INTERVAL_MS: '250',
});

describe('paperboy fetch --arxiv', () => {
  it('stores the 92 new and cross-listed papers of the real cs.CL day, and search "cat:cs.CL" --all returns them', async () => {
    const dir = tempDir();
    const fetched = await runCli(['fetch', '--arxiv', 'cs.CL'], { env: envFor(dir), cwd: dir });
    expect(fetched.stderr).toBe('');
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(/^Fetched arXiv's announcement of cs\.CL for 2026-08-13: 92 new and cross-listed papers \(92 new to the store\), 0 replacements of stored papers, 92 filled in from the export API; 92 stored\.\n$/);
    const found = await runCli(['search', 'cat:cs.CL', '--json', '--all'], { env: envFor(dir), cwd: dir });
    expect(found.code).toBe(0);
    const out = JSON.parse(found.stdout);
    expect(out.total).toBe(92);
    expect(out.results).toHaveLength(92);
    const cross = out.results.find((r: { id: string }) => r.id === '2608.11215');
    expect(cross).toMatchObject({ sources: { arxiv: '2026-08-13' }, categories: ['cs.AI', 'cond-mat.stat-mech', 'cs.CL', 'cs.LG', 'cs.MA', 'physics.soc-ph'], arxiv: { announceType: 'cross', version: 1 } });
    // digest --topic works on what is stored: the 7 cs.CL papers about LLM agents of that day.
    const digest = await runCli(['digest', '--topic', 'LLM agents cat:cs.CL', '--date', '2026-08-13', '--json'], { env: envFor(dir), cwd: dir });
    expect(digest.code).toBe(0);
    expect(JSON.stringify(JSON.parse(digest.stdout)).match(/"id":"2608\.\d{5}"/g)).toHaveLength(7);
    // Without cat:, the same store answers from Hugging Face papers only: there are none.
    const plain = await runCli(['search', 'agents', '--json'], { env: envFor(dir), cwd: dir });
    expect(JSON.parse(plain.stdout).total).toBe(0);
    expect(standIn.violations()).toEqual([]);
    expect(standIn.requests.every((r) => /^Paperboy\/.*mailto:ops@example\.org/.test(String(r.headers['user-agent'])))).toBe(true);
  }, 60_000);

  it('says a weekend feed announced nothing, and refuses an unknown category with close ones', async () => {
    const dir = tempDir();
    const weekend = await runCli(['fetch', '--arxiv', 'cs'], { env: envFor(dir), cwd: dir });
    expect(weekend.code).toBe(0);
    expect(weekend.stdout).toMatch(/^arXiv announced nothing in cs on Sunday \(weekends and holidays have no announcement\); 0 papers stored\.\n$/);
    const bad = await runCli(['fetch', '--arxiv', 'cs.CLL'], { env: envFor(dir), cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"cs\.CLL" is not an arXiv category \(close: cs\.CL/);
    const badSearch = await runCli(['search', 'agents cat:cs.XX'], { env: envFor(dir), cwd: dir });
    expect(badSearch.code).toBe(2);
    expect(standIn.violations()).toEqual([]);
  }, 60_000);

  it('doctor says whether arXiv answers where it is used, and leaves it alone where it is not', async () => {
    const dir = tempDir();
    const unused = await runCli(['doctor', '--json'], { env: { DATABASE_URL: `file:${join(dir, 'p.json')}` }, cwd: dir });
    expect(JSON.parse(unused.stdout).checks).toContainEqual({ name: 'arxiv', ok: true, detail: 'not used: no topic names a cat: category and ARXIV_CATEGORIES is empty' });
    const before = standIn.requests.length;
    const used = await runCli(['doctor', '--json'], { env: { ...envFor(dir), ARXIV_CATEGORIES: 'cs.CL' }, cwd: dir });
    const arxivCheck = JSON.parse(used.stdout).checks.find((c: { name: string }) => c.name === 'arxiv');
    expect(arxivCheck).toMatchObject({ ok: true, detail: expect.stringMatching(/answers \(feed answered HTTP 200\); following cs\.CL$/) });
    expect(standIn.requests.length).toBe(before + 1);
    const down = await runCli(['doctor', '--json'], { env: { DATABASE_URL: `file:${join(dir, 'p.json')}`, ARXIV_CATEGORIES: 'cs.CL' }, cwd: dir });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).checks.find((c: { name: string }) => c.name === 'arxiv')).toMatchObject({ ok: false, detail: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9: The arXiv feed failed/) });
  }, 60_000);
});
