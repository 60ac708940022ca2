import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/core/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { startHfStandIn, type HfStandIn } from '../../support/hf-stand-in.ts';
import { tempDir } from '../../cli/run-cli.ts';
import { terminal } from './streams.ts';

let hf: HfStandIn;
beforeAll(async () => {
  hf = await startHfStandIn();
});
afterAll(async () => {
  await hf.close();
});

function config(dbFile: string, hfEndpoint = hf.url) {
  return loadConfig({ DATABASE_URL: `file:${dbFile}`, HF_ENDPOINT: hfEndpoint }, { envFile: '' });
}

const clockAt = (iso: string) => ({ now: () => new Date(iso) });

describe('terminal adapter', { timeout: 60_000 }, () => {
  it('fetches the last 7 days on a first start, answers commands, and leaves on Ctrl-D with the store written', async () => {
    const db = join(tempDir('pb-shell-'), 'pb.json');
    const t = terminal();
    hf.requests.length = 0;
    const app = await createApp(config(db), { clock: clockAt('2026-06-26T12:00:00Z'), logger: silentLogger, input: t.input, output: t.output, schedule: false });
    await app.start();
    await t.waitFor(/paperboy> /);
    expect(t.text()).toContain('First start: fetching the last 7 days of Hugging Face Daily Papers');
    expect(hf.requests.map((r) => r.date)).toEqual(['2026-06-20', '2026-06-21', '2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26']);
    expect(t.text()).toMatch(/Fetched \d+ papers from 7 days\./);

    t.type('/papers diffusion');
    const afterSearch = await t.waitFor(/1\. .*\n[\s\S]*paperboy> $/);
    expect(afterSearch).toContain('https://huggingface.co/papers/');
    expect(afterSearch).toMatch(/\[1\] Save  \[2\] More like this\n/);
    expect(afterSearch).toMatch(/\[11\] Next › .*\(type the number\)/);

    t.type('topics add diffusion models');
    await t.waitFor(/diffusion models[\s\S]*paperboy> $/);
    t.type('/digest add agents');
    await t.waitFor(/agents[\s\S]*paperboy> $/);
    t.type('/nonsense');
    await t.waitFor(/Unknown command \/nonsense/);
    t.input.end(); // Ctrl-D
    await app.done;

    const store = await openStore(`file:${db}`, { logger: silentLogger });
    try {
      expect((await store.getDestination('shell:user:local'))?.settings.topics).toEqual(['diffusion models']);
      expect((await store.getDestination('shell:channel:terminal'))?.settings.topics).toEqual(['agents']);
      expect(await store.countPapers()).toBeGreaterThan(50);
    } finally {
      await store.close();
    }
  });

  it('presses a shown button by its number (next page of a lookup)', async () => {
    const db = join(tempDir('pb-shell-'), 'pb.json');
    const t = terminal();
    const app = await createApp(config(db), { clock: clockAt('2026-06-26T12:00:00Z'), logger: silentLogger, input: t.input, output: t.output, schedule: false });
    await app.start();
    await t.waitFor(/paperboy> $/);
    t.type('/papers model');
    await t.waitFor(/\(type the number\)\npaperboy> $/);
    const before = t.text().length;
    const next = /\[(\d+)\] Next ›/.exec(t.text())?.[1];
    t.type(String(next));
    await t.waitFor(/\(type the number\)\npaperboy> [\s\S]*\(type the number\)\npaperboy> $/);
    expect(t.text().slice(before)).toMatch(/^\s*6\. /m);
    // The first card of the new page has its own Save: pressing it keeps the paper for the local user.
    const cut = t.text().length;
    t.type(String(/\[(\d+)\] Save/.exec(t.text().slice(before))?.[1]));
    await t.waitFor(/Saved .*\(1 saved\)/);
    expect(t.text().slice(cut)).toContain('Only you can see your list');
    await app.stop();
  });

  it('says plainly when Hugging Face is unreachable and keeps working on stored papers', async () => {
    const db = join(tempDir('pb-shell-'), 'pb.json');
    const t = terminal();
    const app = await createApp(config(db, 'http://127.0.0.1:9'), { clock: clockAt('2026-06-26T12:00:00Z'), logger: silentLogger, input: t.input, output: t.output, schedule: false, hfRetries: 0 });
    await app.start();
    await t.waitFor(/paperboy> $/);
    expect(t.text()).toMatch(/Hugging Face could not be reached \(.+\)\. Working with the 0 papers already stored/);
    t.type('/topics add llm');
    await t.waitFor(/llm[\s\S]*paperboy> $/);
    t.input.end();
    await app.done;
    expect(existsSync(db)).toBe(true);
  });

  it('stops promptly when asked to during the first fetch (Ctrl-C while Hugging Face hangs)', async () => {
    const db = join(tempDir('pb-shell-'), 'pb.json');
    const t = terminal();
    hf.fault(() => ({ kind: 'stall' }));
    try {
      const app = await createApp(config(db), { clock: clockAt('2026-06-26T12:00:00Z'), logger: silentLogger, input: t.input, output: t.output });
      const starting = app.start();
      await t.waitFor(/First start: fetching/);
      await app.stop();
      await starting;
      await app.done;
      expect(t.text()).not.toContain('paperboy> ');
      expect(existsSync(db)).toBe(true);
    } finally {
      hf.fault(undefined);
    }
  });

  it("prints the terminal channel's digest when the schedule delivers it", async () => {
    const db = join(tempDir('pb-shell-'), 'pb.json');
    const pre = await openStore(`file:${db}`, { logger: silentLogger });
    await pre.ensureDestination({ platform: 'shell', kind: 'channel', id: 'terminal' }, { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 });
    await pre.addTopic('shell:channel:terminal', 'diffusion', 50);
    await pre.close();

    const t = terminal();
    const app = await createApp(config(db), { clock: clockAt('2026-06-24T10:00:00Z'), logger: silentLogger, input: t.input, output: t.output, firstRunDays: 2 });
    await app.start();
    const out = await t.waitFor(/── digest for #terminal ──\n[\s\S]*paperboy> $/);

    expect(out).toMatch(/Daily papers · Wednesday,? 24 June 2026/);
    expect(out).toMatch(/matched: diffusion/);
    await app.stop();
    const store = await openStore(`file:${db}`, { logger: silentLogger });
    try {
      expect(await store.digestStatus('shell:channel:terminal', '2026-06-24')).toBe('sent');
    } finally {
      await store.close();
    }
  });
});
