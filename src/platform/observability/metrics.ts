import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of this process, served as text at /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'relasi_' });

export const httpDuration = new Histogram({
  name: 'relasi_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const httpErrors = new Counter({
  name: 'relasi_http_errors_total',
  help: 'Responses with status >= 500',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});
