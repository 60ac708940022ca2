/** Typed commands (terminal, Slack `/cmd text`): `/topics add "diffusion models"` -> spec + args. */
import type { Reply } from '../model/reply.ts';
import { reply } from '../model/reply.ts';
import { helpReply, usageReply } from './help.ts';
import { findCommand, isCommandName, specsOf } from './registry.ts';
import type { CommandArgs, CommandSpec } from './spec.ts';

export type ParsedCommand = { spec: CommandSpec; args: CommandArgs } | { error: Reply };

/** Splits off the first whitespace-delimited word. */
function head(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return m ? [m[1]!, m[2]!] : ['', ''];
}

function isHelp(word: string): boolean {
  return ['help', '--help', '-h', '?'].includes(word.toLowerCase());
}

export function parseCommandText(line: string): ParsedCommand {
  const text = String(line ?? '').replace(/[\r\n\t]+/g, ' ').trim();
  const [first, afterCommand] = head(text);
  const word = first.replace(/^\//, '').toLowerCase();
  if (!word || isHelp(word)) return { error: helpReply() };
  if (!isCommandName(word)) {
    const r = helpReply();
    return { error: { ...r, blocks: [{ type: 'notice', level: 'error', text: `Unknown command /${word.slice(0, 40)}.` }, ...r.blocks] } };
  }
  let spec: CommandSpec | undefined;
  let rest = afterCommand;
  if (word === 'papers') {
    if (!rest || isHelp(rest)) return { error: helpReply('papers') };
    spec = findCommand('papers');
  } else {
    const [sub, afterSub] = head(rest);
    if (!sub || isHelp(sub)) return { error: helpReply(word) };
    spec = findCommand(word, sub);
    if (!spec) {
      const r = helpReply(word);
      const subs = specsOf(word).map((s) => s.sub).join(', ');
      return { error: { ...r, blocks: [{ type: 'notice', level: 'error', text: `/${word} has no subcommand "${sub.slice(0, 40)}". Try one of: ${subs}.` }, ...r.blocks] } };
    }
    rest = afterSub;
  }
  if (!spec) return { error: reply.notice('error', 'Unknown command.') };
  const args: CommandArgs = {};
  for (const o of spec.options) {
    if (!rest) break;
    if (o.rest) {
      args[o.name] = rest.trim();
      rest = '';
      break;
    }
    const [value, remaining] = head(rest);
    args[o.name] = value;
    rest = remaining;
  }
  if (rest.trim()) {
    return { error: usageReply(spec, `Unexpected extra text: "${rest.trim().slice(0, 60)}".`) };
  }
  return { spec, args };
}
