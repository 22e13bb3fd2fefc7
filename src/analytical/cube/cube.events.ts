import { declareEvent } from '#platform/events/index.js';

/** `cube.refreshed`: the cubes' materialized views hold the operational data as of `dataAsOf`. */
export interface CubeRefreshedPayload {
  views: string[];
  dataAsOf: string;
  durationMs: number;
}

export const CUBE_REFRESHED = declareEvent<CubeRefreshedPayload>('cube.refreshed', 'cubes');
