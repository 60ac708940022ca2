/**
 * Latency histograms around the two slow edges: a digest send through an adapter, and a fetch from
 * a paper source. Wrappers, so the delivery and source code stay as they are.
 */
import type { Adapter, PaperSource } from '../core/ports.ts';
import type { Histogram, MetricsRegistry } from './metrics.ts';

/** Runs `work`, observing its duration with `result` ok or error. */
async function observe<T>(h: Histogram, labels: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const end = h.startTimer(labels);
  try {
    const value = await work();
    end({ result: 'ok' });
    return value;
  } catch (err) {
    end({ result: 'error' });
    throw err;
  }
}

/** `target` with one method replaced; a Proxy keeps getters (Slack's findDelivered) and other members live. */
function replacing<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): T {
  return new Proxy(target, { get: (t, k) => (k === key ? value : Reflect.get(t, k, t)) });
}

/** The adapter with `deliver` timed into paperboy_digest_send_seconds{platform,result}. */
export function timedAdapter(adapter: Adapter, metrics: MetricsRegistry): Adapter {
  const send = metrics.histogram('paperboy_digest_send_seconds', 'Time to send one digest through its platform (each attempt), by result.', ['platform', 'result']);
  // Every argument passes through: `progress` carries a split digest's parts (a dropped one would repost landed parts).
  return replacing(adapter, 'deliver', (destination, message, progress) => observe(send, { platform: adapter.platform }, () => adapter.deliver(destination, message, progress)));
}

/** The source with fetchDay timed into paperboy_source_fetch_seconds{source,result}. */
export function timedSource<S extends PaperSource>(name: string, metrics: MetricsRegistry, source: S): S {
  const fetched = metrics.histogram('paperboy_source_fetch_seconds', 'Time to fetch one day from a paper source (retries included), by source and result.', ['source', 'result']);
  return replacing(source, 'fetchDay', ((day, signal) => observe(fetched, { source: name }, () => source.fetchDay(day, signal))) as S['fetchDay']);
}
