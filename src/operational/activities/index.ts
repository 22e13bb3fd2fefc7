export { ActivitiesModule } from './activities.module.js';
export { ACTIVITY_DUE } from './activities.events.js';
export type { ActivityDuePayload } from './activities.events.js';
export { ActivitiesService } from './activities.service.js';
export { ACTIVITY_DIRECTIONS, ACTIVITY_STATUSES, ACTIVITY_TYPES } from './activity.definition.js';
