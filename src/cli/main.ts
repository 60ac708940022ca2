/** Entry point of bin/paperboy.js: runs the program and maps every outcome to an exit code. */
import { CommanderError } from 'commander';
// Only light modules here: each command loads what it needs when it runs.
import { isPaperboyError } from '../core/model/errors.ts';
import { CliError, EXIT } from './errors.ts';
import { processIo, warn } from './output.ts';
import { buildProgram } from './program.ts';

export async function runCli(argv: string[]): Promise<number> {
  const io = processIo;
  const program = buildProgram(io);
  // With a default command, commander would call a typo "too many arguments for 'start'".
  const first = argv[0];
  if (first && !first.startsWith('-') && !program.commands.some((c) => c.name() === first || c.aliases().includes(first)) && first !== 'help') {
    warn(io, `paperboy: unknown command '${first}'. Commands: ${program.commands.map((c) => c.name()).join(', ')}. See paperboy --help.`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are successes; everything else commander rejects is bad usage.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      warn(io, `paperboy: ${e.message}`);
      return e.exitCode;
    }
    if (isPaperboyError(e) && e.code === 'config') {
      warn(io, `paperboy: ${e.message}\nFix these in the environment or .env (see .env.example).`);
      return EXIT.failure;
    }
    if (isPaperboyError(e)) {
      // The hint says what to do next (e.g. how to restore a damaged store); never drop it.
      warn(io, `paperboy: ${e.message}${e.hint ? `\n${e.hint}` : ''}`);
      return e.code === 'usage' || e.code === 'invalid_query' ? EXIT.usage : EXIT.failure;
    }
    warn(io, `paperboy: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.failure;
  }
}

const code = await runCli(process.argv.slice(2));
// Exit only once stdout is flushed (a pipe may still hold a big --json answer); open HTTP
// keep-alive sockets would otherwise hold the process for seconds.
process.stdout.write('', () => process.exit(code));
