import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../../src/core/model/errors.ts';
import {
  canonicalTimezone,
  dueRun,
  isValidTimezone,
  localDay,
  nextRunAt,
  parseTime,
  wallClock,
} from '../../../src/core/schedule/index.ts';

const at = (iso: string) => new Date(iso);
const s = (time: string, timezone: string, weekdaysOnly = false) => ({ time, timezone, weekdaysOnly, paused: false });
const HOUR = 3_600_000;

describe('parseTime', () => {
  it('reads 24-hour HH:MM and H:MM', () => {
    expect(parseTime('08:30')).toEqual({ h: 8, m: 30 });
    expect(parseTime('8:05')).toEqual({ h: 8, m: 5 });
    expect(parseTime(' 00:00 ')).toEqual({ h: 0, m: 0 });
    expect(parseTime('23:59')).toEqual({ h: 23, m: 59 });
  });

  it.each(['24:00', '08:60', '8.30', '0830', '08:30am', '', 'soon', '-1:00', '08:3', '１２:００'])(
    'rejects %j with a usage error saying how to write it',
    (text) => {
      try {
        parseTime(text);
        expect.unreachable('should have thrown');
      } catch (e) {
        expect(e).toBeInstanceOf(PaperboyError);
        expect((e as PaperboyError).code).toBe('usage');
        expect((e as PaperboyError).message).toMatch(/HH:MM/);
      }
    },
  );
});

describe('time zones', () => {
  it('knows IANA zones and UTC, and nothing else', () => {
    expect(isValidTimezone('Europe/Berlin')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('America/New_York')).toBe(true);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
    expect(isValidTimezone('x'.repeat(500))).toBe(false);
  });

  it('canonicalises the spelling of a zone, and refuses an unknown one', () => {
    expect(canonicalTimezone('europe/berlin')).toBe('Europe/Berlin');
    expect(() => canonicalTimezone('Nowhere/Special')).toThrow(/not a time zone/);
  });

  it('gives the local calendar day on both sides of midnight', () => {
    expect(localDay(at('2026-06-24T23:30:00Z'), 'Europe/Berlin')).toBe('2026-06-25');
    expect(localDay(at('2026-06-24T23:30:00Z'), 'UTC')).toBe('2026-06-24');
    expect(localDay(at('2026-06-25T03:00:00Z'), 'America/New_York')).toBe('2026-06-24');
    expect(localDay(at('2026-06-24T15:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-06-25');
  });
});

describe('nextRunAt', () => {
  it('finds today’s run, or tomorrow’s once it has passed (strictly after)', () => {
    const berlin9 = s('09:00', 'Europe/Berlin');
    expect(nextRunAt(berlin9, at('2026-06-24T06:00:00Z')).toISOString()).toBe('2026-06-24T07:00:00.000Z');
    expect(nextRunAt(berlin9, at('2026-06-24T07:00:00Z')).toISOString()).toBe('2026-06-25T07:00:00.000Z');
  });

  it('handles zones whose local day differs from the UTC day', () => {
    expect(nextRunAt(s('08:00', 'Asia/Tokyo'), at('2026-06-24T22:00:00Z')).toISOString()).toBe('2026-06-24T23:00:00.000Z');
    expect(nextRunAt(s('23:59', 'Pacific/Honolulu'), at('2026-06-25T09:00:00Z')).toISOString()).toBe('2026-06-25T09:59:00.000Z');
    expect(nextRunAt(s('00:00', 'UTC'), at('2026-12-31T23:59:59Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('keeps the local time across DST in both directions (Berlin)', () => {
    const berlin9 = s('09:00', 'Europe/Berlin');
    // 09:00 CET is 08:00Z; after the spring change 09:00 CEST is 07:00Z.
    expect(nextRunAt(berlin9, at('2026-03-28T08:00:00Z')).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextRunAt(berlin9, at('2026-10-24T07:00:00Z')).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('runs a nonexistent local time (spring forward) at the first valid instant after it', () => {
    // Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00Z; 02:30 never happens.
    const first = nextRunAt(s('02:30', 'Europe/Berlin'), at('2026-03-28T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(wallClock(first, 'Europe/Berlin')).toMatchObject({ day: 29, hour: 3, minute: 0 });
    expect(nextRunAt(s('02:30', 'Europe/Berlin'), first).toISOString()).toBe('2026-03-30T00:30:00.000Z');
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT at 07:00Z.
    expect(nextRunAt(s('02:15', 'America/New_York'), at('2026-03-06T12:00:00Z')).toISOString()).toBe('2026-03-07T07:15:00.000Z');
    expect(nextRunAt(s('02:15', 'America/New_York'), at('2026-03-08T00:00:00Z')).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('runs an ambiguous local time (fall back) once, at its first occurrence', () => {
    // Berlin, 25 October 2026: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    const berlin = s('02:30', 'Europe/Berlin');
    const first = nextRunAt(berlin, at('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextRunAt(berlin, first).toISOString()).toBe('2026-10-26T01:30:00.000Z');
    // New York, 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    const ny = s('01:30', 'America/New_York');
    const nyFirst = nextRunAt(ny, at('2026-10-31T12:00:00Z'));
    expect(nyFirst.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(nextRunAt(ny, nyFirst).toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it('skips weekends when weekdaysOnly', () => {
    // Friday 26 June 2026, after the run: next is Monday 29 June.
    expect(nextRunAt(s('09:00', 'Europe/Berlin', true), at('2026-06-26T08:00:00Z')).toISOString()).toBe('2026-06-29T07:00:00.000Z');
    expect(nextRunAt(s('09:00', 'Europe/Berlin', false), at('2026-06-26T08:00:00Z')).toISOString()).toBe('2026-06-27T07:00:00.000Z');
    // Late Friday in New York is already Saturday in UTC; the local weekday decides.
    expect(nextRunAt(s('21:00', 'America/New_York', true), at('2026-06-26T12:00:00Z')).toISOString()).toBe('2026-06-27T01:00:00.000Z');
  });

  it('always lands strictly after, within a day (three over a weekend), at the wall-clock time', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (afterMs, h, m, tz, weekdaysOnly) => {
          const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const settings = s(time, tz, weekdaysOnly);
          const after = new Date(afterMs);
          const next = nextRunAt(settings, after);
          expect(next.getTime()).toBeGreaterThan(afterMs);
          expect(next.getTime() - afterMs).toBeLessThanOrEqual((weekdaysOnly ? 3 : 1) * 24 * HOUR + 2 * HOUR);
          const w = wallClock(next, tz);
          if (w.hour !== h || w.minute !== m) {
            // Only in a DST gap: then a minute earlier the clock read before the wanted time.
            const before = wallClock(new Date(next.getTime() - 60_000), tz);
            expect(before.hour * 60 + before.minute).toBeLessThan(h * 60 + m);
            expect(w.hour * 60 + w.minute).toBeGreaterThan(h * 60 + m);
          }
          if (weekdaysOnly) expect([0, 6]).not.toContain(w.weekday);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dueRun', () => {
  const berlin9 = { ...s('09:00', 'Europe/Berlin'), paused: false };
  const SIX_HOURS = 6 * HOUR;

  it('is due once the local time has passed and today is not done', () => {
    expect(dueRun(berlin9, '2026-06-23', at('2026-06-24T07:30:00Z'), SIX_HOURS)).toBe('2026-06-24');
    expect(dueRun(berlin9, undefined, at('2026-06-24T07:00:00Z'), SIX_HOURS)).toBe('2026-06-24');
    expect(dueRun(berlin9, '2026-06-24', at('2026-06-24T07:30:00Z'), SIX_HOURS)).toBeUndefined();
  });

  it('is not due before the time, when paused, or beyond the catch-up window', () => {
    expect(dueRun(berlin9, '2026-06-23', at('2026-06-24T06:59:00Z'), SIX_HOURS)).toBeUndefined();
    expect(dueRun({ ...berlin9, paused: true }, '2026-06-23', at('2026-06-24T07:30:00Z'), SIX_HOURS)).toBeUndefined();
    expect(dueRun(berlin9, '2026-06-23', at('2026-06-24T13:01:00Z'), SIX_HOURS)).toBeUndefined();
  });

  it('catches up a run missed across local midnight, and prefers the most recent day', () => {
    const late = { ...s('23:50', 'Europe/Berlin'), paused: false };
    // 00:10 on the 25th in Berlin: the 24th's 23:50 run was missed 20 minutes ago.
    expect(dueRun(late, '2026-06-23', at('2026-06-24T22:10:00Z'), HOUR)).toBe('2026-06-24');
    expect(dueRun(late, '2026-06-24', at('2026-06-24T22:10:00Z'), HOUR)).toBeUndefined();
    // Down for two days with a long window: only the latest day is sent.
    expect(dueRun(berlin9, '2026-06-21', at('2026-06-24T08:00:00Z'), 72 * HOUR)).toBe('2026-06-24');
    expect(dueRun(berlin9, '2026-06-21', at('2026-06-24T06:00:00Z'), 72 * HOUR)).toBe('2026-06-23');
  });

  it('honours weekdaysOnly on the local day', () => {
    const weekdays = { ...s('09:00', 'Europe/Berlin', true), paused: false };
    expect(dueRun(weekdays, '2026-06-26', at('2026-06-27T08:00:00Z'), SIX_HOURS)).toBeUndefined(); // Saturday
    expect(dueRun(weekdays, '2026-06-26', at('2026-06-29T07:05:00Z'), SIX_HOURS)).toBe('2026-06-29'); // Monday
  });

  it('runs an ambiguous fall-back time once', () => {
    const berlin = { ...s('02:30', 'Europe/Berlin'), paused: false };
    expect(dueRun(berlin, '2026-10-24', at('2026-10-25T00:31:00Z'), SIX_HOURS)).toBe('2026-10-25');
    expect(dueRun(berlin, '2026-10-25', at('2026-10-25T01:31:00Z'), SIX_HOURS)).toBeUndefined();
    const ny = { ...s('01:30', 'America/New_York'), paused: false };
    expect(dueRun(ny, '2026-10-31', at('2026-11-01T05:29:00Z'), SIX_HOURS)).toBeUndefined();
    expect(dueRun(ny, '2026-10-31', at('2026-11-01T05:30:00Z'), SIX_HOURS)).toBe('2026-11-01');
  });

  it('runs a spring-forward gap time at the change', () => {
    const ny = { ...s('02:15', 'America/New_York'), paused: false };
    expect(dueRun(ny, '2026-03-07', at('2026-03-08T06:59:00Z'), SIX_HOURS)).toBeUndefined();
    expect(dueRun(ny, '2026-03-07', at('2026-03-08T07:00:00Z'), SIX_HOURS)).toBe('2026-03-08');
  });
});
