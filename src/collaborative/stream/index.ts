/** What other modules use of the live stream: the module, the publisher and hub, its config. */
export { StreamModule } from './stream.module.js';
export { StreamPublisher } from './stream-publisher.js';
export { StreamHub } from './stream-hub.js';
export {
  audienceStreamController,
  type AudienceStreamOptions,
} from './audience-stream.controller.js';
export { assigneeOf } from './stream-assignments.js';
export { STREAM_CONFIG, STREAM_SECTION, type StreamConfig } from './stream.config.js';
export * from './stream.events.js';
export { STREAM_PROBLEMS } from './stream.errors.js';
