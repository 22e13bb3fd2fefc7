export { ActivitiesModule } from './activities.module.js';
export { ACTIVITY_DIRECTIONS, ACTIVITY_STATUSES, ACTIVITY_TYPES } from './activity.definition.js';
