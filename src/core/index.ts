export * from './model/index.ts';
export * from './ports.ts';
export * from './commands/spec.ts';
