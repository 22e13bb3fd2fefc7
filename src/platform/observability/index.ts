export { NestPinoLogger, createLogger } from './logger.js';
export { httpDuration, httpErrors, metricsRegistry } from './metrics.js';
