import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `stream` section: how the live stream keeps connections and events. */
export interface StreamConfig {
  /** Seconds between heartbeat comments on an idle connection (proxies close silent ones). */
  readonly heartbeatSeconds: number;
  /** Minutes events are kept for clients that reconnect with Last-Event-ID. */
  readonly retentionMinutes: number;
  /** Open connections one user may hold in one process; the oldest is closed past it. */
  readonly maxConnectionsPerUser: number;
}

export const STREAM_SECTION = defineConfigSection<StreamConfig>({
  key: 'stream',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      heartbeatSeconds: { type: 'integer', minimum: 1, maximum: 300 },
      retentionMinutes: { type: 'integer', minimum: 1, maximum: 43_200 },
      maxConnectionsPerUser: { type: 'integer', minimum: 1, maximum: 1000 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<StreamConfig>;
    return {
      heartbeatSeconds: g.heartbeatSeconds ?? 15,
      retentionMinutes: g.retentionMinutes ?? 1440,
      maxConnectionsPerUser: g.maxConnectionsPerUser ?? 20,
    };
  },
});

export const STREAM_CONFIG: ConfigComposition = {
  sections: [STREAM_SECTION],
  reservedPaths: [],
};
