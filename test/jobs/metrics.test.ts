/** What /metrics shows from the app: command latency from every command run through the core. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { findCommand, runCommand, type CommandContext } from '../../src/core/commands/index.ts';
import { silentLogger } from '../../src/core/index.ts';
import { tempDir } from '../cli/run-cli.ts';
import { REAL_DAYS, realPapers } from '../store/real-papers.ts';

const ctx: CommandContext = { platform: 'shell', user: { platform: 'shell', kind: 'user', id: 'me' }, canManageChannel: false };

describe('command metrics', () => {
  it('counts each command and the time spent on it, failing ones too', async () => {
    const config = loadConfig({ DATABASE_URL: `file:${join(tempDir('pb-metrics-'), 'pb.json')}`, HF_ENDPOINT: 'http://127.0.0.1:9' }, { envFile: '' });
    const app = await createApp(config, { logger: silentLogger, input: new PassThrough(), output: new PassThrough(), schedule: false });
    try {
      await runCommand(findCommand('papers')!, ctx, { query: 'diffusion' }, app.deps);
      await runCommand(findCommand('papers')!, ctx, { query: 'agents' }, app.deps);
      // Missing argument: answered with usage, still counted.
      await runCommand(findCommand('topics', 'add')!, ctx, {}, app.deps);
      const text = await app.metrics.render();
      expect(text).toContain('paperboy_commands_total{command="/papers"} 2');
      expect(text).toContain('paperboy_commands_total{command="/topics add"} 1');
      const seconds = Number(/paperboy_command_seconds_total\{command="\/papers"\} ([\d.e-]+)/.exec(text)?.[1]);
      expect(seconds).toBeGreaterThan(0);
      // Exposition format: HELP and TYPE before each family.
      expect(text).toMatch(/# TYPE paperboy_command_seconds_total counter\n/);
    } finally {
      await app.stop();
    }
  });

  it('a metrics hook that throws never costs the user a reply', async () => {
    const config = loadConfig({ DATABASE_URL: `file:${join(tempDir('pb-metrics-'), 'pb.json')}`, HF_ENDPOINT: 'http://127.0.0.1:9' }, { envFile: '' });
    const app = await createApp(config, { logger: silentLogger, input: new PassThrough(), output: new PassThrough(), schedule: false });
    try {
      const papers = realPapers(REAL_DAYS[0]);
      await app.deps.store.upsertPapers(papers);
      app.deps.index.add(papers);
      const query = papers[0]!.title.split(/\s+/).slice(0, 3).join(' ');
      const answer = await runCommand(findCommand('papers')!, ctx, { query }, app.deps);
      const broken = await runCommand(findCommand('papers')!, ctx, { query }, {
        ...app.deps,
        onCommand: () => {
          throw new Error('registry broken');
        },
      });
      // The same ranked answer as with a working hook, not the apology (which also has blocks).
      expect(broken).toEqual(answer);
      expect(JSON.stringify(broken)).not.toContain('something went wrong');
      expect(JSON.stringify(broken)).toContain(papers[0]!.title.slice(0, 40));
    } finally {
      await app.stop();
    }
  });
});
