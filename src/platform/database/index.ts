export { DatabaseService } from './database.service.js';
export { UUID_PATTERN, uuidv7 } from './uuid7.js';
export { ChannelListener } from './channel-listener.js';
