import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { loadFixtureDays, startHfStandIn, type HfStandIn } from '../support/hf-stand-in.ts';
import { CORPUS_PATH } from '../support/fixtures.ts';
import { runCli, tempDir } from './run-cli.ts';

const CORPUS = CORPUS_PATH;
const utcDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let hf: HfStandIn;
beforeAll(async () => {
  // The real 2026-06-24 answer also stands in for "today" and "yesterday", which fetch --days asks for.
  const june24 = loadFixtureDays().get('2026-06-24')!;
  hf = await startHfStandIn({ days: { [utcDay(0)]: june24, [utcDay(-1)]: june24.slice(0, 5) } });
});
afterAll(async () => {
  await hf.close();
});

// Real child processes on a shared 2-core machine: generous time, no timing assertions.
describe('paperboy on real data', { timeout: 240_000 }, () => {
  it('imports the shared corpus, then search transformers prints ranked results (text and --json)', async () => {
    const env = { DATABASE_URL: `file:${tempDir()}/pb.json`, HF_ENDPOINT: hf.url };
    const imp = await runCli(['import', CORPUS, '--json'], { env });
    expect(imp.code).toBe(0);
    const imported = JSON.parse(imp.stdout);
    expect(imported).toMatchObject({ items: 9581, papers: 9577, skipped: 0, stored: 9577 });

    const text = await runCli(['search', 'transformers', '--limit', '5'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\d+ papers match "transformers" \(showing 5, of 9577 stored\)/);
    expect(text.stdout.match(/^\d\. /gm)).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
    expect(text.stdout).toContain('https://huggingface.co/papers/');
    expect(text.stdout).toContain('matched: transformers');

    const json = await runCli(['search', 'transformers', '-n', '20', '--json'], { env });
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.indexed).toBe(9577);
    expect(r.total).toBeGreaterThan(100);
    expect(r.results).toHaveLength(20);
    expect(r.results.map((x: { rank: number }) => x.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const scores = r.results.map((x: { score: number }) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const x of r.results) {
      expect(`${x.title} ${x.summary ?? ''}`.toLowerCase()).toMatch(/transformer/);
      expect(x.links.arxiv).toBe(`https://arxiv.org/abs/${x.id}`);
    }

    // The whole result set, to read or judge it: every match with its id, score and explanation.
    const all = JSON.parse((await runCli(['search', 'LLM', '--all', '--json'], { env })).stdout);
    expect(all.total).toBeGreaterThan(1000);
    expect(all.results).toHaveLength(all.total);
    expect(new Set(all.results.map((x: { id: string }) => x.id)).size).toBe(all.total);
    const why = all.results.map((x: { matched: string[] }) => x.matched.join(', '));
    expect(why).toContain('LLM');
    expect(why).toContain('LLM (as "large language models")');
    const some = JSON.parse((await runCli(['search', 'LLM', '--limit', '1500', '--json'], { env })).stdout);
    expect(some.total).toBe(all.total);
    expect(some.results).toHaveLength(1500);
    expect(some.results.map((x: { id: string }) => x.id)).toEqual(all.results.slice(0, 1500).map((x: { id: string }) => x.id));
    // Nothing reached Hugging Face: search works offline on the store.
    expect(hf.requests).toHaveLength(0);
  });

  it('digest --topic "diffusion models" --date 2026-06-24 fetches that day from the stand-in, then reuses the store', async () => {
    const env = { DATABASE_URL: `file:${tempDir()}/pb.json`, HF_ENDPOINT: hf.url };
    hf.requests.length = 0;
    const first = await runCli(['digest', '--topic', 'diffusion models', '--date', '2026-06-24', '--json'], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('2026-06-24 is not stored yet; fetching it from Hugging Face');
    const d = JSON.parse(first.stdout);
    expect(d).toMatchObject({ date: '2026-06-24', topic: 'diffusion models', fetched: true, listed: 21 });
    expect(d.total).toBeGreaterThan(0);
    expect(d.papers.length).toBe(d.total);
    const upvotes = d.papers.map((p: { upvotes: number }) => p.upvotes);
    expect([...upvotes].sort((a, b) => b - a)).toEqual(upvotes);
    for (const p of d.papers) {
      expect(p.listedOn).toBe('2026-06-24');
      expect(p.matched).toEqual(['diffusion models']);
    }
    expect(hf.requests.map((q) => q.date)).toEqual(['2026-06-24']);

    const text = await runCli(['digest', '--topic', 'diffusion models', '--date', '2026-06-24'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^"diffusion models" on 2026-06-24\n\d+ of 21 papers listed that day match\./);
    expect(text.stdout).toContain(d.papers[0].title);
    expect(hf.requests).toHaveLength(1);
  });

  it('digest fails with exit 1 and a plain message when Hugging Face is unreachable', async () => {
    const env = { DATABASE_URL: `file:${tempDir()}/pb.json`, HF_ENDPOINT: hf.url };
    hf.fault(() => ({ kind: 'status', status: 404, body: '{"error":"Not Found"}', contentType: 'application/json' }));
    try {
      const r = await runCli(['digest', '--topic', 'llm', '--date', '2026-06-25'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Hugging Face could not be reached for 2026-06-25/);
    } finally {
      hf.fault(undefined);
    }
  });

  it('fetch --days 2 stores the last two days; doctor then reports everything healthy', async () => {
    const env = { DATABASE_URL: `file:${tempDir()}/pb.json`, HF_ENDPOINT: hf.url };
    const f = await runCli(['fetch', '--days', '2', '--json'], { env });
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout)).toMatchObject({ days: [utcDay(-1), utcDay(0)], papers: 26, stored: 21 });
    const doc = await runCli(['doctor', '--json'], { env });
    expect(doc.code).toBe(0);
    const report = JSON.parse(doc.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['config', 'store', 'destinations', 'arxiv', 'huggingface']);
    expect(report.checks[1].detail).toMatch(/21 papers, 2 days fetched/);
  });

  it('doctor lists destinations whose last delivery failed (exit 1)', async () => {
    const db = `${tempDir()}/pb.json`;
    const store = await openStore(`file:${db}`, { logger: silentLogger });
    await store.ensureDestination({ platform: 'discord', kind: 'channel', id: '123' }, { topics: ['llm'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 });
    await store.updateState('discord:channel:123', { lastFailure: { at: '2026-06-24T09:00:00.000Z', code: 'missing_permission', message: 'Missing Access', permanent: true }, failures: 1 });
    await store.close();
    const r = await runCli(['doctor', '--json'], { env: { DATABASE_URL: `file:${db}`, HF_ENDPOINT: hf.url } });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c: { name: string }) => c.name === 'destinations')).toEqual({
      name: 'destinations',
      ok: false,
      detail: 'discord:channel:123: missing_permission (Missing Access) at 2026-06-24T09:00:00.000Z, permanent',
    });
  });

  it('doctor names each unreachable or refusing service, exits 1, and never prints a token', async () => {
    const refusing = createServer((req, res) => {
      if (req.url?.startsWith('/api/v10/gateway/bot')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message": "401: Unauthorized", "code": 0}');
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": false, "error": "invalid_auth"}');
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      const env = {
        DATABASE_URL: `file:${tempDir()}/pb.json`,
        HF_ENDPOINT: 'http://127.0.0.1:9',
        DISCORD_TOKEN: 'discord-token-never-shown',
        DISCORD_APPLICATION_ID: '42',
        DISCORD_API_URL: `${base}/api`,
        SLACK_BOT_TOKEN: 'xoxb-never-shown',
        SLACK_SIGNING_SECRET: 'signing-never-shown',
        SLACK_API_URL: `${base}/slack/`,
      };
      const r = await runCli(['doctor'], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/FAIL huggingface .*unreachable/);
      expect(r.stdout).toMatch(/FAIL discord .*rejected DISCORD_TOKEN \(401\)/);
      expect(r.stdout).toMatch(/FAIL slack .*invalid_auth/);
      expect(r.stdout).toMatch(/ok +store/);
      for (const secret of ['discord-token-never-shown', 'xoxb-never-shown', 'signing-never-shown']) {
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
    } finally {
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });

  it('doctor checks the form of DISCORD_PUBLIC_KEY (HTTP interactions)', async () => {
    const env = { DATABASE_URL: `file:${tempDir()}/pb.json`, HF_ENDPOINT: hf.url, DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '42', DISCORD_API_URL: 'http://127.0.0.1:9/api' };
    const bad = await runCli(['doctor'], { env: { ...env, DISCORD_PUBLIC_KEY: 'not-a-key' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL config +DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters/);
    const good = await runCli(['doctor', '--json'], { env: { ...env, DISCORD_PUBLIC_KEY: 'ab'.repeat(32) } });
    const report = JSON.parse(good.stdout) as { checks: { name: string; ok: boolean; detail: string }[] };
    expect(report.checks.find((c) => c.name === 'discord-key')).toEqual({ name: 'discord-key', ok: true, detail: expect.stringContaining('/discord/interactions') });
  });
});
