export { timelineController } from './timeline-controller.factory.js';
export { TimelineService } from './timeline.service.js';
export type { RecordRef } from './timeline.service.js';
