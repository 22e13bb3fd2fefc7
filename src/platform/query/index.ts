export { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
export { SqlParams } from './sql-params.js';
