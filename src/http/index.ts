export { createMetrics, type MetricsRegistry, type Counter, type Gauge, type Labels } from './metrics.ts';
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
