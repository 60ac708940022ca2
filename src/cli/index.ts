export { buildProgram } from './program.ts';
export { CliError, EXIT } from './errors.ts';
export { openRuntime, withRuntime, cliConfig, type Runtime } from './runtime.ts';
