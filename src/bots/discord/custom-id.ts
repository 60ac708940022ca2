/**
 * Button custom ids: the neutral Action encoded in at most 100 characters. Short actions travel
 * inline; long ones (a long query or topic) get a short key into a bounded in-memory map, so a
 * button of a message older than the map (or from before a restart) reports itself as expired.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Action } from '../../core/index.ts';
import { LIMITS } from './text.ts';

const PREFIX = 'pb1';

/** One letter per action kind, then its fields (the free-text one last, as it may hold colons). */
function inlineId(action: Action): string {
  switch (action.type) {
    case 'page':
      return `${PREFIX}:p:${action.page}:${action.query}`;
    case 'subscribe':
      return `${PREFIX}:s:${action.topic}`;
    case 'save':
      return `${PREFIX}:v:${action.paperId}`;
    case 'unsave':
      return `${PREFIX}:u:${action.page}:${action.paperId}`;
    case 'saved':
      return `${PREFIX}:l:${action.page}`;
    case 'like':
      return `${PREFIX}:m:${action.paperId}`;
    case 'digest':
      return `${PREFIX}:d:${action.page}:${action.since}:${action.until}:${action.key}`;
  }
}

export class ActionCodec {
  private readonly keyed: LRUCache<string, Action>;

  /** @param capacity keyed actions remembered; the least recently used goes first. */
  constructor(capacity = 2000) {
    this.keyed = new LRUCache<string, Action>({ max: capacity });
  }

  encode(action: Action): string {
    const inline = inlineId(action);
    if (inline.length <= LIMITS.customId) return inline;
    const key = randomBytes(9).toString('base64url');
    this.keyed.set(key, action);
    return `${PREFIX}:k:${key}`;
  }

  /** The action of a custom id; undefined for foreign ids and expired keys. */
  decode(customId: string): Action | undefined {
    const m = /^pb1:([pskvulmd]):(.*)$/s.exec(customId);
    if (!m) return undefined;
    const [, kind, rest = ''] = m;
    if (kind === 'k') return this.keyed.get(rest);
    if (kind === 's') return rest ? { type: 'subscribe', topic: rest } : undefined;
    if (kind === 'v') return rest ? { type: 'save', paperId: rest } : undefined;
    if (kind === 'm') return rest ? { type: 'like', paperId: rest } : undefined;
    if (kind === 'd') {
      const dm = /^(\d{1,6}):(\d{1,15}):(\d{1,15}):(.+)$/s.exec(rest);
      return dm ? { type: 'digest', page: Number(dm[1]), since: Number(dm[2]), until: Number(dm[3]), key: dm[4]! } : undefined;
    }
    if (kind === 'l') return /^\d{1,6}$/.test(rest) ? { type: 'saved', page: Number(rest) } : undefined;
    const pm = /^(\d{1,6}):(.+)$/s.exec(rest);
    if (!pm) return undefined;
    if (kind === 'u') return { type: 'unsave', page: Number(pm[1]), paperId: pm[2] ?? '' };
    return { type: 'page', page: Number(pm[1]), query: pm[2] ?? '' };
  }

  /** True when the id is ours (even if its key has expired). */
  owns(customId: string): boolean {
    return customId.startsWith(`${PREFIX}:`);
  }
}
