/**
 * Button values: the neutral Action as JSON (Slack allows 2000 characters). Values come back from
 * users' clients, so decoding checks the shape instead of trusting it.
 */
import type { Action } from '../../core/index.ts';

export const ACTION_PREFIX = 'paperboy:';
export const MAX_VALUE = 2000;

export function encodeAction(action: Action): string | undefined {
  const value = JSON.stringify(action);
  return value.length <= MAX_VALUE ? value : undefined;
}

export function decodeAction(value: unknown): Action | undefined {
  if (typeof value !== 'string' || value.length > MAX_VALUE) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.type === 'page' && typeof o.query === 'string' && Number.isInteger(o.page) && (o.page as number) >= 0) {
    return { type: 'page', query: o.query, page: o.page as number };
  }
  if (o.type === 'subscribe' && typeof o.topic === 'string' && o.topic.trim() !== '') {
    return { type: 'subscribe', topic: o.topic };
  }
  return undefined;
}
