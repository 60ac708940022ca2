/** `paperboy migrate --from file:PATH --to postgres://...`: copy a store, then verify the counts. */
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Store } from '../../core/index.ts';
import { isPostgresUrl, jsonStorePath, openStore } from '../../store/index.ts';
import { migrateStore, type MigrateProgress } from '../../store/migrate.ts';
import { createLogger } from '../../logger.ts';
import { CliError, EXIT } from '../errors.ts';
import { printJson, printLine, type Io } from '../output.ts';

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.protocol === 'file:' ? url : u.toString();
  } catch {
    return url;
  }
}

function checkUrl(flag: string, url: string): void {
  if (jsonStorePath(url) === undefined && !isPostgresUrl(url)) {
    throw new CliError(`${flag} must be file:PATH or postgres://USER:PASS@HOST/DB (got "${shown(url)}").`, EXIT.usage);
  }
}

export async function migrateAction(io: Io, opts: { from: string; to: string; json?: boolean }): Promise<void> {
  const from = opts.from.trim();
  const to = opts.to.trim();
  checkUrl('--from', from);
  checkUrl('--to', to);
  if (from === to) throw new CliError('--from and --to name the same store; nothing to migrate.', EXIT.usage);
  const path = jsonStorePath(from);
  // Opening a JSON store that does not exist would create an empty one and "migrate" nothing.
  if (path !== undefined && !existsSync(path)) throw new CliError(`No store at ${path} (from --from ${from}).`);

  const logger = createLogger({ level: 'warn' });
  const stores: Store[] = [];
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: io.stderr, format: 'Migrating {phase} {bar} {value}/{total}', clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let phase: string | undefined;
  const onProgress = (p: MigrateProgress) => {
    if (!bar) return;
    if (p.phase !== phase) {
      if (phase) bar.stop();
      phase = p.phase;
      bar.start(p.total, p.done, { phase: p.phase });
    } else bar.update(p.done);
  };
  try {
    const source = await openStore(from, { logger });
    stores.push(source);
    const target = await openStore(to, { logger });
    stores.push(target);
    const result = await migrateStore(source, target, { onProgress });
    bar?.stop();
    if (opts.json) printJson(io, { from: shown(from), to: shown(to), verified: true, ...result });
    else {
      printLine(
        io,
        `Copied ${result.papers} papers, ${result.destinations} destinations, ${result.ledger} digests, ${result.days} fetched days and ${result.saved} saved papers from ${shown(from)} to ${shown(to)}; every one verified in the target.`,
      );
      printLine(io, `Point DATABASE_URL at ${shown(to)} and start Paperboy; keep ${shown(from)} until you are happy.`);
    }
  } finally {
    bar?.stop();
    for (const s of stores.reverse()) await s.close().catch(() => {});
  }
}
