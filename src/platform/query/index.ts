export { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.js';
export { SqlParams } from './sql-params.js';
export type { ExtraWhere, QueryAccess } from './list-query-builder.js';
export { FILTER_OPERATORS, pageLimits, parseListQuery } from './list-request.js';
export type { FilterOperator, ListRequest } from './list-request.js';
export { sqlTypeOf } from './query-schema.js';
export type { QueryField, QueryFieldType, QuerySchema } from './query-schema.js';
