/**
 * The `paperboy` command line (commander). Definitions live here; each action is imported only
 * when its command runs, so `--help` and usage errors answer without loading the store or index.
 */
import { Command, Option } from 'commander';
import type { Io } from './output.ts';
import { isoDay, positiveInt } from './parse.ts';

const json = ['--json', 'print machine-readable JSON'] as const;

export function buildProgram(io: Io): Command {
  const program = new Command('paperboy')
    .description('Hugging Face Daily Papers in Discord, Slack and your terminal. Configuration comes from the environment and .env (see .env.example).')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Throw instead of exiting, so main maps errors to exit codes 0/1/2; subcommands inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 bad usage.');

  program
    .command('start', { isDefault: true })
    .description('run the bot: Discord and/or Slack when configured, otherwise a terminal prompt (default)')
    .action(async () => (await import('./commands/start.ts')).startAction());

  program
    .command('search')
    .description('search the stored papers (words, "exact phrases", -excluded, a | b, author:"Name", cat:cs.CL)')
    .argument('<query...>', 'what to look for; quote it or not')
    .option('-n, --limit <n>', 'how many results (any number up to the stored papers)', positiveInt(Number.MAX_SAFE_INTEGER), 10)
    .addOption(new Option('--all', 'every matching paper (the whole result set, to read or judge it)').conflicts('limit'))
    .option(...json)
    .action(async (words: string[], opts) => (await import('./commands/search.ts')).searchAction(io, words, opts));

  program
    .command('digest')
    .description("print one day's papers matching a topic, ranked by upvotes then relevance")
    .requiredOption('-t, --topic <topic>', 'a topic, e.g. "diffusion models" or "llm -survey"')
    .option('--date <YYYY-MM-DD>', 'the Daily Papers day, fetched from Hugging Face if not stored (default: today, UTC)', isoDay)
    .option('-n, --limit <n>', 'papers shown (1-100)', positiveInt(100), 10)
    .option(...json)
    .action(async (opts) => (await import('./commands/digest.ts')).digestAction(io, opts));

  program
    .command('fetch')
    .description("backfill the last N days of Hugging Face Daily Papers, or arXiv's current announcement of some categories, into the store")
    .option('-d, --days <n>', 'how many days, ending today (1-365)', positiveInt(365), 7)
    .option('--arxiv <categories>', "instead, arXiv's current announcement of these categories, e.g. cs.CL or cs.CL,eess.AS")
    .option(...json)
    .action(async (opts) => (await import('./commands/fetch.ts')).fetchAction(io, opts));

  program
    .command('import')
    .description('import papers from a corpus file: one {"date", "item"} per line (.jsonl or .jsonl.gz)')
    .argument('<file>', 'path to FILE.jsonl or FILE.jsonl.gz')
    .option(...json)
    .action(async (file: string, opts) => (await import('./commands/import.ts')).importAction(io, file, opts));

  program
    .command('doctor')
    .description('check configuration, the store, failing destinations, and whether Hugging Face, Discord and Slack answer')
    .option(...json)
    .action(async (opts) => (await import('./commands/doctor.ts')).doctorAction(io, opts));

  program
    .command('register')
    .description('register the slash commands with Discord (to DISCORD_GUILD_ID only, when set)')
    .option(...json)
    .action(async (opts) => (await import('./commands/register.ts')).registerAction(io, opts));

  program
    .command('restore')
    .description("put the JSON store's last good backup (PATH.bak and PATH.papers.bak) back; the files it replaces are kept aside, never deleted")
    .option(...json)
    .action(async (opts) => (await import('./commands/restore.ts')).restoreAction(io, opts));

  program
    .command('migrate')
    .description('copy a store into another (JSON file to PostgreSQL) and verify that everything arrived')
    .requiredOption('--from <url>', 'the store to copy, e.g. file:./data/paperboy.json')
    .requiredOption('--to <url>', 'the store to fill, e.g. postgres://USER:PASS@HOST/DB')
    .option(...json)
    .action(async (opts) => (await import('./commands/migrate.ts')).migrateAction(io, opts));

  return program;
}
