import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.ts';

const db = () => ({ DATABASE_URL: `file:${tempDir()}/pb.json` });

// Each case starts a real process (tsx compiles on start); the shared machine is slow, so allow time.
describe('paperboy usage', { timeout: 120_000 }, () => {
  it('prints help for the program and every command with exit 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['start', 'search', 'digest', 'fetch', 'import', 'doctor', 'register', 'restore']) expect(top.stdout).toContain(cmd);
    expect(top.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 bad usage');
    const results = await Promise.all(['search', 'digest', 'fetch', 'import', 'doctor', 'register', 'restore', 'start'].map((c) => runCli([c, '--help'])));
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: paperboy \w+/);
    }
    expect(results[1]!.stdout).toContain('--topic <topic>');
    expect(results[0]!.stdout).toContain('--json');
  });

  it.each([
    [['search'], /missing required argument 'query'/],
    [['search', 'x', '--limit', 'lots'], /expected a whole number of at least 1/],
    [['search', 'x', '--limit', '0'], /expected a whole number of at least 1/],
    [['search', 'x', '--limit', '5', '--all'], /cannot be used with option '-n, --limit/],
    [['digest'], /required option '-t, --topic <topic>' not specified/],
    [['digest', '--topic', 'llm', '--date', '2026-02-30'], /expected a date as YYYY-MM-DD/],
    [['fetch', '--days', '-3'], /error/],
    [['import'], /missing required argument 'file'/],
    [['serach', 'transformers'], /unknown command 'serach'/],
    [['search', 'x', '--colour'], /unknown option '--colour'/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const r = await runCli(args, { env: db() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a query or topic that does not parse, saying what is wrong', async () => {
    const q = await runCli(['search', '"unclosed phrase'], { env: db() });
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/quote is not closed/i);
    const t = await runCli(['digest', '--topic', '   '], { env: db() });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--topic: .*empty/i);
  });

  it('exits 1 with every configuration problem listed, never echoing a secret', async () => {
    const r = await runCli(['search', 'llm'], { env: { ...db(), DIGEST_TIME: '9am', SLACK_BOT_TOKEN: 'xoxb-secret-value', PORT: 'http' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DIGEST_TIME must be a 24-hour time/);
    expect(r.stderr).toMatch(/PORT must be a whole number/);
    expect(r.stderr).toMatch(/SLACK_SIGNING_SECRET is required/);
    expect(r.stderr).not.toContain('xoxb-secret-value');
  });

  it('register says clearly that Discord is not configured (exit 1)', async () => {
    const r = await runCli(['register'], { env: db() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  });

  it('import of a missing file and restore without a backup fail with exit 1', async () => {
    const env = db();
    const imp = await runCli(['import', 'nope.jsonl.gz'], { env });
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/No such file: nope\.jsonl\.gz/);
    const res = await runCli(['restore'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no backup of .*pb\.json/i);
  });

  it('search on an empty store says how to get papers (exit 0)', async () => {
    const r = await runCli(['search', 'transformers'], { env: db() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No papers stored yet: run `paperboy fetch --days 7`/);
    const j = await runCli(['search', 'transformers', '--json'], { env: db() });
    expect(JSON.parse(j.stdout)).toEqual({ query: 'transformers', total: 0, indexed: 0, results: [] });
  });
});
