/**
 * arXiv's terms: at most one request every 3 seconds and one connection at a time. Every request
 * of a process goes through one Pacer: they run one after the other, each starting at least
 * `intervalMs` after the previous one ended (measured from the end, so a slow answer never lets the
 * next request arrive early).
 */
export class Pacer {
  private tail: Promise<unknown> = Promise.resolve();
  private lastEnd = -Infinity;

  constructor(
    readonly intervalMs: number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `fn` when its turn comes and the interval has passed. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const turn = this.tail.then(async () => {
      const wait = this.lastEnd + this.intervalMs - this.now();
      if (wait > 0) await this.sleep(wait, signal);
      try {
        return await fn();
      } finally {
        this.lastEnd = this.now();
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
