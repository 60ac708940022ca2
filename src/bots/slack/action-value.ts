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
  const paperId = typeof o.paperId === 'string' && o.paperId.trim() !== '' && o.paperId.length <= 200 ? o.paperId : undefined;
  const page = Number.isInteger(o.page) && (o.page as number) >= 1 ? (o.page as number) : undefined;
  if (o.type === 'save' && paperId) return { type: 'save', paperId };
  if (o.type === 'like' && paperId) return { type: 'like', paperId };
  if (o.type === 'unsave' && paperId && page) return { type: 'unsave', paperId, page };
  if (o.type === 'saved' && page) return { type: 'saved', page };
  if (o.type === 'digest' && page && typeof o.key === 'string' && o.key.length > 0 && o.key.length <= 300 && Number.isSafeInteger(o.since) && Number.isSafeInteger(o.until)) {
    return { type: 'digest', key: o.key, since: o.since as number, until: o.until as number, page };
  }
  return undefined;
}
