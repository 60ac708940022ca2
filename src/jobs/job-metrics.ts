/** Digests sent and failed, and queue depth, as Prometheus series in the app's registry. */
import type { MetricsRegistry } from '../http/index.ts';
import type { DestinationOutcome } from '../delivery/index.ts';

export interface JobMetrics {
  outcome(o: DestinationOutcome): void;
  queueDepth(d: { queued: number; active: number }): void;
}

export function jobMetrics(registry: MetricsRegistry): JobMetrics {
  const sent = registry.counter('paperboy_digests_sent_total', 'Scheduled digests delivered (empty days and reconciled ones included), by result.', ['result']);
  const failed = registry.counter('paperboy_digests_failed_total', 'Scheduled digests that failed or were missed, by code.', ['code', 'retry']);
  const depth = registry.gauge('paperboy_job_queue_depth', 'Digest jobs by state: queued (waiting or to be retried) and active.', ['state']);
  return {
    outcome(o) {
      if (o.status === 'sent' || o.status === 'empty' || o.status === 'reconciled') sent.inc({ result: o.status });
      else if (o.status === 'failed') failed.inc({ code: o.failure.code, retry: String(o.retry) });
      else if (o.status === 'missed') failed.inc({ code: 'missed', retry: 'false' });
    },
    queueDepth(d) {
      depth.set({ state: 'queued' }, d.queued);
      depth.set({ state: 'active' }, d.active);
    },
  };
}
