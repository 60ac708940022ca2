/** Every command, one spec per file; adapters register them from this list. */
import { digestAdd } from './digest/add.ts';
import { digestList } from './digest/list.ts';
import { digestOff } from './digest/off.ts';
import { digestOn } from './digest/on.ts';
import { digestPreview } from './digest/preview.ts';
import { digestRemove } from './digest/remove.ts';
import { digestStatus } from './digest/status.ts';
import { digestTime } from './digest/time.ts';
import { papers } from './papers.ts';
import { digestStyle, topicsStyle } from './style.ts';
import type { CommandName, CommandSpec } from './spec.ts';
import { topicsAdd } from './topics/add.ts';
import { topicsClear } from './topics/clear.ts';
import { topicsList } from './topics/list.ts';
import { topicsPause } from './topics/pause.ts';
import { topicsPreview } from './topics/preview.ts';
import { topicsRemove } from './topics/remove.ts';
import { topicsResume } from './topics/resume.ts';
import { topicsStatus } from './topics/status.ts';
import { topicsTime } from './topics/time.ts';

export const commandSpecs: CommandSpec[] = [
  papers,
  topicsAdd,
  topicsRemove,
  topicsList,
  topicsClear,
  topicsTime,
  topicsStyle,
  topicsPause,
  topicsResume,
  topicsStatus,
  topicsPreview,
  digestAdd,
  digestRemove,
  digestList,
  digestTime,
  digestStyle,
  digestOff,
  digestOn,
  digestPreview,
  digestStatus,
];

export const commandNames: CommandName[] = ['papers', 'topics', 'digest'];

export const commandDescriptions: Record<CommandName, string> = {
  papers: 'Look up papers in the index.',
  topics: 'Your personal topics, delivered as a daily direct-message digest.',
  digest: "This channel's daily digest: its topics and schedule.",
};

/** The spec of `/command [sub]`, case-insensitive; undefined when there is none. */
export function findCommand(command: string, sub?: string): CommandSpec | undefined {
  const c = command.trim().replace(/^\//, '').toLowerCase();
  const s = sub?.trim().toLowerCase() || undefined;
  return commandSpecs.find((spec) => spec.command === c && spec.sub === s);
}

export function isCommandName(name: string): name is CommandName {
  return (commandNames as string[]).includes(name);
}

/** The specs of one command (`/papers` has one, `/topics` and `/digest` one per subcommand). */
export function specsOf(command: CommandName): CommandSpec[] {
  return commandSpecs.filter((s) => s.command === command);
}
