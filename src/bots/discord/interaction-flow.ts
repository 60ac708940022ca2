/**
 * What Paperboy does with one Discord interaction, whichever way it arrived (gateway or HTTP):
 * neutral commands -> rendered replies, answered directly when the core is quick, otherwise
 * deferred (Discord's 3 s) and edited. The transport only supplies an `InteractionIO`.
 */
import { autocomplete, errorReply, findCommand, runAction, runCommand, type CommandArgs, type CommandContext, type CoreDeps } from '../../core/commands/index.ts';
import { reply as neutral, silentLogger, type Action, type Logger, type Reply } from '../../core/index.ts';
import type { ActionCodec } from './custom-id.ts';
import { renderReply, type DiscordMessage } from './render.ts';
import { LIMITS } from './text.ts';

export interface FlowDeps {
  deps: CoreDeps;
  codec: ActionCodec;
  logger: Logger;
  /** Answer directly if the core replies within this; otherwise defer first. 0 always defers. */
  deferAfterMs: number;
  /** Told when an interaction was first acknowledged and when its answer was complete (metrics). */
  onAnswered?: (t: { kind: InteractionInput['kind']; command: string; ackMs: number; answerMs: number }) => void;
}

export type OptionValue = string | number | boolean;

/** One interaction as the flow needs it, taken from a discord.js object or a raw API payload. */
export type InteractionInput =
  | { kind: 'command'; id: string; name: string; subcommand?: string; options: Record<string, OptionValue>; ctx: CommandContext; botAbsent?: boolean }
  | { kind: 'button'; id: string; customId: string; ctx: CommandContext; botAbsent?: boolean }
  | { kind: 'autocomplete'; id: string; name: string; subcommand?: string; focused: { name: string; value: string }; ctx: CommandContext };

export interface Choice {
  name: string;
  value: string;
}

/** The transport's answers. The first of reply/deferReply/deferUpdate/choices acknowledges. */
export interface InteractionIO {
  reply(m: DiscordMessage, ephemeral: boolean): Promise<void>;
  /** A deferred reply, always ephemeral: personal data must never go public. */
  deferReply(): Promise<void>;
  deferUpdate(): Promise<void>;
  /** Edits the original response (after a deferral, or the message a button sits on). */
  editReply(m: DiscordMessage): Promise<void>;
  followUp(m: DiscordMessage, ephemeral: boolean): Promise<void>;
  choices(c: Choice[]): Promise<void>;
  /** Whether a first response went out already. */
  readonly acknowledged: boolean;
}

/** Resolves with the value, or undefined once `ms` passed (the timer never outlives the race). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, ms, undefined); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether Paperboy answers where its bot is not a member: a server or group DM reached only
 * through a person's own install (no guild install authorises it). Answers there stay private.
 */
export function botAbsent(context: unknown, owners: unknown): boolean {
  if (typeof owners !== 'object' || owners === null) return false;
  if (context === 2) return true;
  return context === 0 && !Object.prototype.hasOwnProperty.call(owners, '0');
}

/** Sends a neutral reply to a command or button, deferring (ephemerally) if the core is slow. */
async function respond(io: InteractionIO, work: Promise<Reply>, h: FlowDeps, privateOnly = false): Promise<void> {
  const quick = await within(work, h.deferAfterMs);
  if (quick) {
    const [first, ...rest] = renderReply(quick, h.codec);
    const ephemeral = quick.ephemeral || privateOnly;
    if (first) await io.reply(first, ephemeral);
    for (const m of rest) await io.followUp(m, ephemeral);
    return;
  }
  await io.deferReply();
  const r = await work;
  const [first, ...rest] = renderReply(r, h.codec);
  if (first) await io.editReply(first);
  for (const m of rest) await io.followUp(m, true);
}

async function onCommand(i: Extract<InteractionInput, { kind: 'command' }>, io: InteractionIO, h: FlowDeps): Promise<void> {
  const spec = findCommand(i.name, i.subcommand);
  if (!spec) {
    await respond(io, Promise.resolve(neutral.notice('warning', `Unknown command /${i.name}; try /papers, /topics or /digest.`)), h);
    return;
  }
  const args: CommandArgs = {};
  for (const o of spec.options) {
    const v = i.options[o.name];
    if (typeof v === 'string' || typeof v === 'number') args[o.name] = v;
  }
  await respond(io, runCommand(spec, i.ctx, args, h.deps), h, i.botAbsent);
}

/** Buttons that redraw the list they sit on; the others answer in a new private message. */
const EDITS_IN_PLACE = new Set<Action['type']>(['page', 'saved', 'unsave']);

async function onButton(i: Extract<InteractionInput, { kind: 'button' }>, io: InteractionIO, h: FlowDeps): Promise<void> {
  if (!h.codec.owns(i.customId)) return; // another app's component; not ours to answer
  const action = h.codec.decode(i.customId);
  if (!action) {
    await respond(io, Promise.resolve(neutral.notice('info', 'This button has expired; run /papers again for fresh results.')), h);
    return;
  }
  const work = runAction(action, i.ctx, h.deps);
  if (!EDITS_IN_PLACE.has(action.type)) {
    await respond(io, work, h, i.botAbsent);
    return;
  }
  // Paging (and removing from the saved list) edits the message in place.
  await io.deferUpdate();
  const r = await work;
  const hasResults = action.type !== 'page' || r.blocks.some((b) => b.type === 'paper');
  const [first, ...rest] = renderReply(r, h.codec);
  if (hasResults && first) await io.editReply(first);
  for (const m of hasResults ? rest : [first, ...rest]) if (m) await io.followUp(m, true);
}

async function onAutocomplete(i: Extract<InteractionInput, { kind: 'autocomplete' }>, io: InteractionIO, h: FlowDeps): Promise<void> {
  const spec = findCommand(i.name, i.subcommand);
  const source = spec?.options.find((o) => o.name === i.focused.name)?.autocomplete;
  const values = source ? await autocomplete(source, i.focused.value, i.ctx, h.deps) : [];
  const choices = values.filter((v) => v.length > 0 && v.length <= LIMITS.choiceText).slice(0, LIMITS.choices);
  await io.choices(choices.map((v) => ({ name: v, value: v })));
}

/** The one error handler: logs, then tells the user (privately) without ever throwing. */
async function onError(i: InteractionInput, io: InteractionIO, err: unknown, h: FlowDeps): Promise<void> {
  h.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err), interaction: i.id }, 'discord interaction failed');
  try {
    if (i.kind === 'autocomplete') {
      if (!io.acknowledged) await io.choices([]);
      return;
    }
    const [m] = renderReply(errorReply(err, undefined, { logger: silentLogger }), h.codec);
    if (!m) return;
    if (io.acknowledged) await io.followUp(m, true);
    else await io.reply(m, true);
  } catch (again) {
    h.logger.warn({ err: String(again), interaction: i.id }, 'could not report an interaction failure');
  }
}

/** Measures time to the first acknowledgement of `io` (for the command-latency histograms). */
function timed(io: InteractionIO, started: number): { io: InteractionIO; ackMs: () => number | undefined } {
  let ackMs: number | undefined;
  const ack = <A extends unknown[]>(f: (...a: A) => Promise<void>) => async (...a: A) => {
    const first = !io.acknowledged;
    await f(...a);
    if (first && ackMs === undefined) ackMs = performance.now() - started;
  };
  const wrapped: InteractionIO = {
    reply: ack((m: DiscordMessage, e: boolean) => io.reply(m, e)),
    deferReply: ack(() => io.deferReply()),
    deferUpdate: ack(() => io.deferUpdate()),
    choices: ack((c: Choice[]) => io.choices(c)),
    editReply: (m) => io.editReply(m),
    followUp: (m, e) => io.followUp(m, e),
    get acknowledged() {
      return io.acknowledged;
    },
  };
  return { io: wrapped, ackMs: () => ackMs };
}

function commandLabel(i: InteractionInput, codec: ActionCodec): string {
  if (i.kind === 'button') return `button:${codec.decode(i.customId)?.type ?? 'unknown'}`;
  // Only registered names become labels: a label per typo would grow the metrics without bound.
  return findCommand(i.name, i.subcommand) ? `/${i.name}${i.subcommand ? ` ${i.subcommand}` : ''}` : 'unknown';
}

/** Handles one interaction; never throws. */
export async function handleInteractionInput(i: InteractionInput, transport: InteractionIO, h: FlowDeps): Promise<void> {
  const started = performance.now();
  const { io, ackMs } = timed(transport, started);
  try {
    if (i.kind === 'autocomplete') await onAutocomplete(i, io, h);
    else if (i.kind === 'command') await onCommand(i, io, h);
    else await onButton(i, io, h);
  } catch (err) {
    await onError(i, io, err, h);
  }
  const ack = ackMs();
  if (ack === undefined || !h.onAnswered) return;
  try {
    h.onAnswered({ kind: i.kind, command: commandLabel(i, h.codec), ackMs: ack, answerMs: performance.now() - started });
  } catch {
    // Metrics must never cost the user a reply.
  }
}
