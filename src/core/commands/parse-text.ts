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
  const open = [...spec.options];
  let last = -1;
  const take = (o: (typeof open)[number], value: string) => {
    args[o.name] = value;
    open.splice(open.indexOf(o), 1);
    last = Math.max(last, spec.options.indexOf(o));
  };
  while (rest && open.length > 0) {
    const first = open[0]!;
    if (first.rest) {
      take(first, rest.trim());
      rest = '';
      break;
    }
    const [value, remaining] = head(rest);
    // A keyword finds its own option (`07:00 weekly fri`: days and day, the zone left out);
    // other words fill the options in order, those with fixed choices last.
    const v = value.toLowerCase();
    const slot =
      open.find((o) => o.choices?.some((c) => c.toLowerCase() === v)) ??
      open.find((o) => !o.choices && !o.rest) ??
      // Only the next option in order takes a word it cannot hold (its choices are then shown).
      (spec.options.indexOf(first) > last ? first : undefined);
    if (!slot) break;
    take(slot, value);
    rest = remaining;
  }
  if (rest.trim()) {
    return { error: usageReply(spec, `Unexpected extra text: "${rest.trim().slice(0, 60)}".`) };
  }
  return { spec, args };
}
