/**
 * The app's Prometheus metrics, through prom-client: counters, gauges and latency histograms,
 * plus prom-client's process metrics and event-loop lag (`process_*`, `nodejs_*`). One registry
 * per app (tests run several in one process), rendered by `GET /metrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type { Counter, Gauge, Histogram };

/** Seconds: from a quick command (~5 ms) to a slow digest send with retries (minutes). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10, 30, 60, 120, 300];

export interface MetricsRegistry {
  /** The existing counter of that name, or a new one with these label names. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge;
  histogram(name: string, help: string, labelNames?: readonly string[], buckets?: number[]): Histogram;
  /** Prometheus text format. */
  render(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): MetricsRegistry {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  // Adapters and the app share one registry and may ask for the same series: hand back the first.
  function get<M>(name: string, kind: new (c: never) => M, make: () => M): M {
    const existing = registry.getSingleMetric(name);
    if (existing === undefined) return make();
    if (!(existing instanceof kind)) throw new Error(`metric "${name}" is already registered as another type`);
    return existing as M;
  }
  const config = (name: string, help: string, labelNames: readonly string[]) => ({ name, help, labelNames: [...labelNames], registers: [registry] });

  return {
    counter: (name, help, labelNames = []) => get(name, Counter as never, () => new Counter(config(name, help, labelNames))),
    gauge: (name, help, labelNames = []) => get(name, Gauge as never, () => new Gauge(config(name, help, labelNames))),
    histogram: (name, help, labelNames = [], buckets = LATENCY_BUCKETS) =>
      get(name, Histogram as never, () => new Histogram({ ...config(name, help, labelNames), buckets })),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** One command's latency: until the platform got its acknowledgement, and until the answer was complete. */
export interface CommandTiming {
  platform: string;
  command: string;
  ackMs: number;
  answerMs: number;
}

/** The command-latency histograms, fed by the adapters. */
export function commandTimer(metrics: MetricsRegistry): (t: CommandTiming) => void {
  const ack = metrics.histogram('paperboy_command_ack_seconds', 'Time from receiving a command or button press until the platform had its acknowledgement.', ['platform', 'command']);
  const answer = metrics.histogram('paperboy_command_answer_seconds', 'Time from receiving a command or button press until its answer was sent.', ['platform', 'command']);
  return (t) => {
    ack.observe({ platform: t.platform, command: t.command }, t.ackMs / 1000);
    answer.observe({ platform: t.platform, command: t.command }, t.answerMs / 1000);
  };
}
