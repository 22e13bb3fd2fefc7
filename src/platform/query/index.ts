export { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
export { SqlParams } from './sql-params.js';
export type { ListRequest } from './list-request.js';
