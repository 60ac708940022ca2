/** Small pure helpers of the store semantics (shared by the memory and JSON stores). */
import { type Destination, type DestinationState, type Paper, PaperboyError } from '../../core/model/index.ts';

export const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const SETTINGS_KEYS = ['time', 'timezone', 'paused', 'weekdaysOnly', 'weeklyOn', 'style', 'notifyEmpty', 'maxPapers'] as const;
export const STATE_KEYS = ['lastRunAt', 'lastRunPapers', 'lastDigestDay', 'lastFailure', 'failures', 'sending'] as const;

export function normaliseTopic(topic: string): string {
  return topic.normalize('NFC').trim().replace(/\s+/g, ' ');
}

export const topicKey = (t: string) => normaliseTopic(t).toLowerCase();

export function cloneDestination(d: Destination): Destination {
  const state: DestinationState = { ...d.state };
  if (d.state.lastFailure) state.lastFailure = { ...d.state.lastFailure };
  return { ...d, settings: { ...d.settings, topics: [...d.settings.topics] }, state };
}

export function need(cond: boolean, message: string): asserts cond {
  if (!cond) throw new PaperboyError('usage', message);
}
