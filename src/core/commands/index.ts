export * from './spec.ts';
export { commandSpecs, findCommand, specsOf, commandNames, commandDescriptions, isCommandName } from './registry.ts';
export { runCommand, runAction, errorReply } from './run.ts';
export { parseCommandText, type ParsedCommand } from './parse-text.ts';
export { helpReply, usageReply } from './help.ts';
export { autocomplete, filterByPrefix, AUTOCOMPLETE_MAX } from './autocomplete.ts';
export { searchPapers } from './papers.ts';
export { defaultSettings } from './destinations.ts';
export { statusFields } from './status.ts';
