/** The id a scheduled digest carries in its message, so a restarted bot can find it again. */
import { createHash } from 'node:crypto';

/** Stable for a destination and local day: the same digest gets the same id in every process. */
export function digestId(key: string, day: string): string {
  return `pb1-${day}-${createHash('sha256').update(`${key}\n${day}`).digest('hex').slice(0, 16)}`;
}

/** Event type used for the id in platform message metadata (Slack `metadata.event_type`). */
export const DIGEST_EVENT_TYPE = 'paperboy_digest';
