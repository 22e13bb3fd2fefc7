import type { ModuleProblems } from '#platform/http/index.js';

/**
 * Notifications answer only the platform's problems: 404 for a notification of someone
 * else (never 403, so ids prove nothing), 400 for bad input.
 */
export const NOTIFICATION_PROBLEMS: readonly ModuleProblems[] = [];
