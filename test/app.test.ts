import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { isPaperboyError, silentLogger } from '../src/core/index.ts';
import { startHfStandIn, type HfStandIn } from './support/hf-stand-in.ts';
import { tempDir } from './cli/run-cli.ts';

let hf: HfStandIn;
beforeAll(async () => {
  hf = await startHfStandIn();
});
afterAll(async () => {
  await hf.close();
});

const clock = { now: () => new Date('2026-06-24T10:00:00Z') };

describe('createApp', { timeout: 60_000 }, () => {
  it('runs the terminal adapter when no platform is configured, builds the index from the store, and stops once', async () => {
    const db = join(tempDir('pb-app-'), 'pb.json');
    const config = loadConfig({ DATABASE_URL: `file:${db}`, HF_ENDPOINT: hf.url }, { envFile: '' });
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const first = await createApp(config, { clock, logger: silentLogger, input, output, firstRunDays: 2, schedule: false });
    expect(first.adapters.map((a) => a.platform)).toEqual(['shell']);
    expect(first.deps.config.digestTime).toBe('09:00');
    await first.start();
    expect(first.deps.index.size()).toBe(58);
    await Promise.all([first.stop(), first.stop()]);
    await first.done;

    // A second process start reads the same file and indexes what was stored.
    const again = await createApp(config, { clock, logger: silentLogger, input: new PassThrough(), output: new PassThrough(), schedule: false });
    expect(again.deps.index.size()).toBe(58);
    expect(await again.deps.store.countPapers()).toBe(58);
    await again.stop();
  });

  it('refuses a corrupt store file with a message naming it, and leaves it untouched', async () => {
    const db = join(tempDir('pb-app-'), 'pb.json');
    writeFileSync(db, '{"papers": {"truncated');
    const config = loadConfig({ DATABASE_URL: `file:${db}`, HF_ENDPOINT: hf.url }, { envFile: '' });
    const err = await createApp(config, { clock, logger: silentLogger, schedule: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPaperboyError(err) && err.code).toBe('store');
    expect((err as Error).message).toContain(db);
    expect(readFileSync(db, 'utf8')).toBe('{"papers": {"truncated');
  });
});
