/** The `paperboy` command line (commander). */
import { Command } from 'commander';
import type { Io } from './output.ts';
import { registerDigest } from './commands/digest.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerFetch } from './commands/fetch.ts';
import { registerImport } from './commands/import.ts';
import { registerRegister } from './commands/register.ts';
import { registerRestore } from './commands/restore.ts';
import { registerSearch } from './commands/search.ts';
import { registerStart } from './commands/start.ts';

export function buildProgram(io: Io): Command {
  const program = new Command('paperboy')
    .description("Hugging Face Daily Papers in Discord, Slack and your terminal. Configuration comes from the environment and .env (see .env.example).")
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Throw instead of exiting, so main maps errors to exit codes 0/1/2; subcommands inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 bad usage.');
  registerStart(program);
  registerSearch(program, io);
  registerDigest(program, io);
  registerFetch(program, io);
  registerImport(program, io);
  registerDoctor(program, io);
  registerRegister(program, io);
  registerRestore(program, io);
  return program;
}
