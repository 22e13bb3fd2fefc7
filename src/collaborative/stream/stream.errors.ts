import type { ModuleProblems } from '#platform/http/index.js';

/**
 * The stream answers only the platform's problems (401, and 400 for a bad Last-Event-ID);
 * once the event stream is open, errors end the connection and the client reconnects.
 */
export const STREAM_PROBLEMS: readonly ModuleProblems[] = [];
