export { createMetrics, commandTimer, LATENCY_BUCKETS, type MetricsRegistry, type CommandTiming, type Counter, type Gauge, type Histogram } from './metrics.ts';
export {
  createHttpRoutes,
  healthzHandler,
  metricsHandler,
  adapterHealth,
  normaliseHealth,
  lastDigestRunAt,
  type HttpRoute,
  type HealthReport,
  type HealthSource,
  type AdapterHealth,
} from './routes.ts';
export { startHttpServer, type RunningHttpServer } from './server.ts';
