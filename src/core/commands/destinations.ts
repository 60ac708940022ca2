/** Shared helpers: which destination a command acts on, its defaults, and input clean-up. */
import { destinationKey, type Destination, type DestinationRef, type DestinationSettings } from '../model/destination.ts';
import { PaperboyError } from '../model/errors.ts';
import { isValidTimezone } from '../schedule/index.ts';
import type { CommandContext, CoreDeps } from './spec.ts';

export type Scope = 'user' | 'channel';

/** `/topics` acts on the caller, `/digest` on the channel it was typed in. */
export function scopeRef(scope: Scope, ctx: CommandContext): DestinationRef {
  if (scope === 'user') return ctx.user;
  if (!ctx.channel) {
    throw new PaperboyError('usage', 'This command works in a channel, not in a direct message. Use /topics for your personal digest.');
  }
  return ctx.channel;
}

/** Settings a new destination starts with: the configured time and zone (a person's own zone when known). */
export function defaultSettings(deps: CoreDeps, ctx?: CommandContext, scope: Scope = 'channel'): DestinationSettings {
  const own = scope === 'user' && ctx?.userTimezone && isValidTimezone(ctx.userTimezone) ? ctx.userTimezone : undefined;
  return {
    topics: [],
    time: deps.config.digestTime,
    timezone: own ?? deps.config.digestTimezone,
    paused: false,
    weekdaysOnly: false,
    notifyEmpty: false,
    maxPapers: deps.config.maxPapersPerDigest,
  };
}

/** The stored destination, without creating it (reads never write). */
export async function findDestination(ref: DestinationRef, deps: CoreDeps): Promise<Destination | undefined> {
  return deps.store.getDestination(destinationKey(ref));
}

/** The stored destination, created with defaults on first use. */
export async function ensureDestination(scope: Scope, ctx: CommandContext, deps: CoreDeps): Promise<Destination> {
  const ref = scopeRef(scope, ctx);
  return deps.store.ensureDestination(ref, defaultSettings(deps, ctx, scope));
}

// Control, zero-width and bidi-override characters: never stored, never echoed.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Topic or query text as stored: NFC, invisible characters dropped, whitespace collapsed. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
}

/** "diffusion models" in typographic quotes, for messages. */
export function quote(text: string): string {
  return /^".*"$/.test(text) ? text : `“${text}”`;
}

/** An instant as the destination's people read it: `Tue 23 Jun 2026, 09:00 (Europe/Berlin)`. */
export function formatInstant(date: Date, tz: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text} (${tz})`;
}
