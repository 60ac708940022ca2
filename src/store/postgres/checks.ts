/** Argument checks shared by the PostgreSQL ports; the same messages and codes as the memory/JSON store. */
import { PaperboyError } from '../../core/model/errors.ts';

export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function need(cond: boolean, message: string): asserts cond {
  if (!cond) throw new PaperboyError('usage', message);
}

export function needDay(day: unknown): asserts day is string {
  need(typeof day === 'string' && DAY.test(day), `Day must be YYYY-MM-DD (got ${String(day)}).`);
}
