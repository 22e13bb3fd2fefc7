export { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
export { SqlParams } from './sql-params.js';
export type { ExtraWhere, QueryAccess } from './list-query-builder.js';
export { FILTER_OPERATORS, pageLimits, parseListQuery, parseQueryBody } from './list-request.js';
export type { FilterOperator, ListRequest } from './list-request.js';
export { sqlTypeOf } from './query-schema.js';
export type { QueryField, QueryFieldType, QuerySchema } from './query-schema.js';
export { buildListQuery, cursorOf } from './list-query-builder.js';
export type { CompiledList } from './list-query-builder.js';
