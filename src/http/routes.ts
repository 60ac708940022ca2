/**
 * `GET /healthz` and `GET /metrics` as plain `(req, res)` routes: the same objects serve as Bolt
 * `customRoutes` on the Slack HTTP receiver and in `startHttpServer` otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Adapter, Logger } from '../core/ports.ts';
import type { MetricsRegistry } from './metrics.ts';

export interface HttpRoute {
  path: string;
  method: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface AdapterHealth {
  connected: boolean;
  detail?: string;
}

/** What `/healthz` shows; `adapters` decides the status, anything else is passed through. */
export interface HealthReport {
  adapters?: Record<string, AdapterHealth>;
  /** ISO time of the last digest run, when there was one. */
  lastDigestRunAt?: string | null;
  [key: string]: unknown;
}

export type HealthSource = () => HealthReport | object | Promise<HealthReport | object>;

/** A health source over running adapters plus whatever else the app knows (last digest run...). */
export function adapterHealth(adapters: readonly Adapter[], extra?: () => object | Promise<object>): HealthSource {
  return async () => {
    const report: HealthReport = { adapters: {} };
    for (const a of adapters) {
      try {
        report.adapters![a.platform] = a.health();
      } catch (e) {
        report.adapters![a.platform] = { connected: false, detail: `health check failed: ${(e as Error).message}` };
      }
    }
    return { ...report, ...(extra ? await extra() : {}) };
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const isAdapterHealth = (v: unknown): v is AdapterHealth =>
  typeof v === 'object' && v !== null && typeof (v as AdapterHealth).connected === 'boolean';

/** Accepts `{adapters: {...}, ...}` or a bare `{slack: {connected}, discord: {connected}}` map. */
export function normaliseHealth(report: object): HealthReport {
  const r = report as HealthReport;
  if (r.adapters !== undefined) return r;
  const entries = Object.entries(r);
  if (entries.length > 0 && entries.every(([, v]) => isAdapterHealth(v))) return { adapters: r as Record<string, AdapterHealth> };
  return r;
}

/** ISO time of the most recent digest run over every destination (what /healthz shows). */
export async function lastDigestRunAt(store: { listDestinations(filter?: { platform?: string }): Promise<{ state: { lastRunAt?: string } }[]> }, platform?: string): Promise<string | null> {
  const all = await store.listDestinations(platform ? { platform } : undefined);
  let last: string | null = null;
  for (const d of all) if (d.state.lastRunAt && (!last || d.state.lastRunAt > last)) last = d.state.lastRunAt;
  return last;
}

export function healthzHandler(source: HealthSource, logger?: Logger): HttpRoute['handler'] {
  return (_req, res) => {
    Promise.resolve()
      .then(source)
      .then((raw) => {
        const report = normaliseHealth(raw);
        const adapters = report.adapters ?? {};
        const down = Object.entries(adapters).filter(([, h]) => !h?.connected).map(([name]) => name);
        // 503 lets a load balancer or orchestrator see a disconnected adapter.
        sendJson(res, down.length ? 503 : 200, { status: down.length ? 'degraded' : 'ok', ...(down.length ? { down } : {}), ...report });
      })
      .catch((e: unknown) => {
        logger?.error({ err: (e as Error)?.message }, 'health check failed');
        sendJson(res, 500, { status: 'error', error: (e as Error)?.message ?? String(e) });
      });
  };
}

export function metricsHandler(metrics: MetricsRegistry): HttpRoute['handler'] {
  return (_req, res) => {
    metrics.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      },
      (e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  };
}

export function createHttpRoutes(opts: { health: HealthSource; metrics: MetricsRegistry; logger?: Logger }): HttpRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: healthzHandler(opts.health, opts.logger) },
    { path: '/metrics', method: 'GET', handler: metricsHandler(opts.metrics) },
  ];
}
