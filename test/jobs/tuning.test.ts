/** Job tuning from the environment: every variable's bounds, blanks as unset, every problem named at once. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/index.ts';
import { TUNING_VARIABLES, defaultJobTuning, jobTuningFromEnv } from '../../src/jobs/tuning.ts';

const VARS = TUNING_VARIABLES;

function problem(env: NodeJS.ProcessEnv): string {
  try {
    jobTuningFromEnv(env);
  } catch (e) {
    expect(isPaperboyError(e) && e.code === 'config').toBe(true);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('jobTuningFromEnv', () => {
  it('takes the defaults for an empty environment and for blank values', () => {
    expect(jobTuningFromEnv({})).toEqual(defaultJobTuning);
    expect(jobTuningFromEnv(Object.fromEntries(VARS.map(([, name]) => [name, '  '])))).toEqual(defaultJobTuning);
    // Sensible defaults: the expiry outlasts a delivery's own retries, polling is allowed.
    expect(defaultJobTuning.expireSeconds).toBeGreaterThan(3 * 120);
    expect(defaultJobTuning.pollSeconds).toBeGreaterThanOrEqual(0.5);
  });

  it('accepts each variable at its minimum and trims spaces, changing only that field', () => {
    // A few bounds that matter outside: pg-boss polls at most twice a second; no retries is allowed.
    const least = Object.fromEntries(VARS.map(([, name, min]) => [name, min]));
    expect(least).toMatchObject({ JOB_POLL_SECONDS: 0.5, JOB_RETRY_LIMIT: 0, JOB_CONCURRENCY: 1 });
    for (const [field, name, min] of VARS) {
      expect(jobTuningFromEnv({ [name]: ` ${min} ` })).toEqual({ ...defaultJobTuning, [field]: min });
    }
  });

  it('refuses each variable below its minimum, as text, fractional where whole, or not finite, naming it and the value', () => {
    for (const [field, name, min] of VARS) {
      const whole = field !== 'pollSeconds';
      const below = whole ? String(min - 1) : '0.49';
      for (const bad of [below, 'many', 'Infinity', 'NaN', '-0.5', ...(whole ? [`${min}.5`] : [])]) {
        expect(problem({ [name]: bad })).toBe(`${name} must be ${whole ? 'a whole number' : 'a number'} of at least ${min} (got "${bad}").`);
      }
    }
  });

  it('keeps the expiry under a day (pg-boss refuses more)', () => {
    expect(jobTuningFromEnv({ JOB_EXPIRE_SECONDS: '86399' }).expireSeconds).toBe(86_399);
    expect(problem({ JOB_EXPIRE_SECONDS: '86400' })).toBe('JOB_EXPIRE_SECONDS must be under 86400 (got 86400).');
  });

  it('names every bad variable in one message, in a fixed order', () => {
    const msg = problem({ JOB_POLL_SECONDS: '0', JOB_CONCURRENCY: 'x', JOB_RETRY_LIMIT: '-1', JOB_EXPIRE_SECONDS: '100000' });
    expect(msg.split('. ').length).toBe(4);
    expect(msg.indexOf('JOB_CONCURRENCY')).toBeLessThan(msg.indexOf('JOB_RETRY_LIMIT'));
    expect(msg.indexOf('JOB_RETRY_LIMIT')).toBeLessThan(msg.indexOf('JOB_POLL_SECONDS'));
    expect(msg).toMatch(/JOB_EXPIRE_SECONDS must be under 86400 \(got 100000\)\.$/);
  });

  it('reads any valid whole number back as given', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VARS.filter(([f]) => f !== 'pollSeconds' && f !== 'expireSeconds')), fc.integer({ min: 1, max: 1_000_000 }), ([field, name], n) => {
        expect(jobTuningFromEnv({ [name]: String(n) })[field]).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 3600, noNaN: true }), (s) => {
        expect(jobTuningFromEnv({ JOB_POLL_SECONDS: String(s) }).pollSeconds).toBe(s);
      }),
    );
  });
});
