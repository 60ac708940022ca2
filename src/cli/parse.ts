/** Option parsers: a bad value is a usage error (exit 2) saying what was expected. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? 'expected a whole number of at least 1.' : `expected a whole number from 1 to ${max}.`);
    }
    return Number(value);
  };
}

export function isoDay(value: string): string {
  const v = value.trim();
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD, e.g. 2026-06-24.');
  }
  return v;
}
