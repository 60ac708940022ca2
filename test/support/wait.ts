/**
 * Waiting for something to happen in a test. A bare `while (!cond()) await sleep()` fails only by
 * the test's timeout, with no word on what was awaited; this fails first, saying what never happened.
 */

export interface WaitOptions {
  /** What is awaited, for the message: "never happened: WHAT". */
  what: string;
  /** Keep it under the test's own timeout, so this message is the one that shows. */
  timeoutMs?: number;
  intervalMs?: number;
  /** Extra context for the failure (logs, state seen last). */
  detail?: () => string;
}

export class NeverHappened extends Error {}

/**
 * Resolves with the first truthy value `probe` returns; rejects after `timeoutMs` with
 * "never happened: WHAT". A probe that throws ends the wait at once with its error (a child died).
 */
export async function waitFor<T>(probe: () => T | Promise<T>, opts: WaitOptions): Promise<Exclude<T, false | undefined | null | 0 | ''>> {
  const { what, timeoutMs = 10_000, intervalMs = 10 } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as Exclude<T, false | undefined | null | 0 | ''>;
    if (Date.now() >= deadline) {
      const extra = opts.detail?.();
      throw new NeverHappened(`never happened within ${timeoutMs} ms: ${what}${extra ? `\n${extra}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
