/** Percentiles, memory and CPU-time helpers for benchmarks. */

/** Nearest-rank percentile (p in 0..100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Resident set size in MB, after a GC when node runs with --expose-gc. */
export function rssMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Live JS heap plus off-heap buffers (typed arrays) in MB, after a GC when exposed. */
export function liveMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

/** Wall and CPU (user + system) milliseconds of `fn`; CPU time is steadier on a busy machine. */
export function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A plain text table. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** Share (percent) of our top-10 ids that another engine also returns in its top 10, averaged over queries. */
export function overlap(ours: string[][], other: string[][]): number {
  let sum = 0;
  let n = 0;
  ours.forEach((a, i) => {
    if (a.length === 0) return;
    const b = new Set(other[i] ?? []);
    sum += a.filter((id) => b.has(id)).length / a.length;
    n++;
  });
  return n ? (100 * sum) / n : Number.NaN;
}
