/** Suggestions while typing: one's own topics, the channel's topics, or time zones. Never throws. */
import { destinationKey } from '../model/destination.ts';
import type { CommandContext, CoreDeps, OptionSpec } from './spec.ts';

export const AUTOCOMPLETE_MAX = 25;

let zones: string[] | undefined;

function timezones(): string[] {
  if (!zones) {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = [...new Set(['UTC', ...list])];
  }
  return zones;
}

/** Starts-with matches first, then contains (so `berlin` finds Europe/Berlin). */
export function filterByPrefix(values: string[], prefix: string, max = AUTOCOMPLETE_MAX): string[] {
  const p = prefix.trim().toLowerCase().replace(/\s+/g, '_');
  const q = prefix.trim().toLowerCase();
  if (!p) return values.slice(0, max);
  const starts = values.filter((v) => v.toLowerCase().startsWith(q) || v.toLowerCase().startsWith(p));
  const contains = values.filter((v) => !starts.includes(v) && (v.toLowerCase().includes(q) || v.toLowerCase().includes(p)));
  return [...starts, ...contains].slice(0, max);
}

export async function autocomplete(
  source: NonNullable<OptionSpec['autocomplete']>,
  prefix: string,
  ctx: CommandContext,
  deps: CoreDeps,
): Promise<string[]> {
  try {
    const text = String(prefix ?? '').slice(0, 100);
    if (source === 'timezone') return filterByPrefix(timezones(), text);
    const ref = source === 'own-topics' ? ctx.user : ctx.channel;
    if (!ref) return [];
    const dest = await deps.store.getDestination(destinationKey(ref));
    return filterByPrefix(dest?.settings.topics ?? [], text);
  } catch (err) {
    deps.logger.warn({ source, err: String(err) }, 'autocomplete failed');
    return [];
  }
}
