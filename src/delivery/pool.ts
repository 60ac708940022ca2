/** A fixed number of workers over a list: many destinations at once, none waiting on a slow one. */
export async function runPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  // A bad concurrency (NaN, 0, negative) means one worker: never no worker, which would return holes.
  const n = Math.min(Number.isNaN(concurrency) ? 1 : Math.max(1, Math.floor(concurrency)), items.length);
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
