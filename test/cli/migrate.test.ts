/** `paperboy migrate` as a real child process: a JSON store into a fresh PostgreSQL database. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { seedStore } from '../delivery/crash-seed.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { runCli, tempDir } from './run-cli.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('paperboy migrate'));

describe('paperboy migrate: usage', () => {
  it('needs --from and --to, and two different stores (exit 2)', async () => {
    const missing = await runCli(['migrate', '--from', 'file:./x.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--to');
    const same = await runCli(['migrate', '--from', 'file:./x.json', '--to', 'file:./x.json']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('same store');
    const scheme = await runCli(['migrate', '--from', 'file:./x.json', '--to', 'mysql://u:secret@h/db']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('postgres://');
    expect(scheme.stderr).not.toContain('secret');
  });

  it('refuses a source file that does not exist instead of migrating an empty store (exit 1)', async () => {
    const r = await runCli(['migrate', '--from', 'file:./nothing-here.json', '--to', 'postgres://u@127.0.0.1:1/db']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No store at ./nothing-here.json');
  });

  it('says clearly when PostgreSQL cannot be reached, without the password (exit 1)', async () => {
    const dir = tempDir();
    const from = `file:${join(dir, 'p.json')}`;
    await seedStore(from, 2, new Date());
    // Port 1 on loopback: connection refused at once.
    const r = await runCli(['migrate', '--from', from, '--to', 'postgres://paperboy:hunter2@127.0.0.1:1/paperboy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PostgreSQL/);
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe.skipIf(!adminUrl)('paperboy migrate: JSON to PostgreSQL', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('copies papers, destinations, the ledger and fetched days, verifies them, and can run again', async () => {
    const db = await createTestDatabase(adminUrl!);
    dbs.push(db);
    const dir = tempDir();
    const from = `file:${join(dir, 'paperboy.json')}`;
    const now = new Date();
    const seeded = await seedStore(from, 25, now);
    // Some digests already sent: their papers must stay "delivered" after the move.
    const src = await openStore(from, { logger: silentLogger });
    const sentPapers = (await src.papersListedBetween(seeded.day, seeded.day)).slice(0, 3).map((p) => p.id);
    for (const key of seeded.keys.slice(0, 5)) {
      await src.claimDigest(key, seeded.day, now.toISOString());
      await src.finishDigest(key, seeded.day, 'sent', sentPapers, now.toISOString());
    }
    const expected = { papers: await src.countPapers(), destinations: (await src.listDestinations()).length, days: (await src.fetchedDays()).size };
    await src.close();

    const r = await runCli(['migrate', '--from', from, '--to', db.url, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ verified: true, papers: expected.papers, destinations: 25, ledger: 5, days: expected.days });

    const pgStore = await openStore(db.url, { logger: silentLogger });
    try {
      expect(await pgStore.countPapers()).toBe(expected.papers);
      expect((await pgStore.listDestinations()).map((d) => d.key).sort()).toEqual([...seeded.keys].sort());
      expect(await pgStore.digestStatus(seeded.keys[0]!, seeded.day)).toBe('sent');
      expect((await pgStore.deliveredPapers(seeded.keys[0]!, sentPapers)).size).toBe(sentPapers.length);
      expect(await pgStore.digestStatus(seeded.keys[9]!, seeded.day)).toBeUndefined();
    } finally {
      await pgStore.close();
    }

    // Interrupted or repeated: running it again merges by key, nothing doubles.
    const again = await runCli(['migrate', '--from', from, '--to', db.url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Copied ${expected.papers} papers, 25 destinations, 5 digests`);
    const check = await openStore(db.url, { logger: silentLogger });
    try {
      expect(await check.countPapers()).toBe(expected.papers);
      expect((await check.listDestinations()).length).toBe(25);
    } finally {
      await check.close();
    }
  }, 120_000);
});
