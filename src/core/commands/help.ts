/** Help text: all commands, one command, or the usage of one spec after an error. */
import type { Reply, ReplyBlock } from '../model/reply.ts';
import { commandDescriptions, commandNames, specsOf } from './registry.ts';
import type { CommandName, CommandSpec } from './spec.ts';

const TOPIC_SYNTAX = [
  'Topics and queries: words, "exact phrases", -excluded words, a | b alternatives, author:"Name". Matching ignores case and plurals.',
  'Plain words name one term and must stand together (two words in either order): reward models finds "reward-model", not reward … models; +word or a AND b finds a word anywhere.',
  "Acronyms and their expansions (learned from the papers), compounds (multimodal, multi-modal) and British/American spellings are the same term.",
  'cat:cs.CL (an arXiv category or archive; several are alternatives): a topic without cat: follows Hugging Face Daily Papers; with cat: it follows every new paper arXiv announces in those categories, and Daily Papers in them.',
].join('\n');

function takesQuery(spec: CommandSpec): boolean {
  return spec.options.some((o) => o.name === 'query' || o.name === 'topic');
}

function line(spec: CommandSpec): string {
  const who = spec.permission === 'manage-channel' ? ' (channel managers)' : '';
  return `${spec.usage} — ${spec.description}${who}`;
}

/** Help for every command, or for one. */
export function helpReply(command?: CommandName): Reply {
  const names = command && commandNames.includes(command) ? [command] : commandNames;
  const blocks: ReplyBlock[] = [{ type: 'header', text: names.length === 1 ? `/${names[0]}` : 'Paperboy commands' }];
  for (const name of names) {
    const specs = specsOf(name);
    blocks.push({ type: 'text', text: `/${name}: ${commandDescriptions[name]}\n${specs.map(line).join('\n')}` });
  }
  if (names.some((n) => specsOf(n).some(takesQuery))) blocks.push({ type: 'text', text: TOPIC_SYNTAX });
  return { ephemeral: true, blocks };
}

/** An error notice followed by the usage of the command that was misused. */
export function usageReply(spec: CommandSpec, message: string): Reply {
  const blocks: ReplyBlock[] = [
    { type: 'notice', level: 'error', text: message },
    { type: 'text', text: `Usage: ${spec.usage}\n${spec.description}` },
  ];
  if (takesQuery(spec)) blocks.push({ type: 'text', text: TOPIC_SYNTAX });
  return { ephemeral: true, blocks };
}
