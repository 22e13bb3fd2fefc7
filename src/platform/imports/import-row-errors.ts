import type { Logger } from '@nestjs/common';
import { problemText } from '#platform/http/problem-catalog.js';
import { toAppError } from '#platform/http/problem-renderer.js';
import { columnOf, type ColumnMapping } from './import-mapping.js';
import type { RowError, StagedRow } from './import-store.js';

const MAX_VALUE_CHARS = 200;

/** A row's failure as errors naming the column, field, rule and value. */
export function rowErrors(
  row: StagedRow,
  err: unknown,
  columns: ColumnMapping[],
  bodyLimitBytes: number,
  logger: Logger,
): RowError[] {
  const { error, unexpected } = toAppError(err, bodyLimitBytes);
  if (unexpected) logger.error(`import row ${row.row_number} failed unexpectedly`, err);
  const at = (field: string | null) => {
    const column = field ? columnOf(columns, field) : null;
    const raw = column ? row.cells[column.index] : undefined;
    return {
      column: column?.column ?? null,
      value: raw === undefined ? null : raw.slice(0, MAX_VALUE_CHARS),
    };
  };
  if (error.errors?.length) {
    return error.errors.map((e) => {
      const field = e.field === '(row)' ? null : e.field;
      return {
        row: row.row_number,
        line: row.line,
        field,
        code: e.rule,
        message: e.message,
        params: e.params ?? null,
        ...at(field),
      };
    });
  }
  const field =
    typeof error.params.field === 'string'
      ? error.params.field
      : error.code === 'reassign_forbidden'
        ? 'ownerId'
        : null;
  return [
    {
      row: row.row_number,
      line: row.line,
      field,
      code: error.code,
      message: problemText(error.code, 'en', error.params).detail,
      params: error.params,
      ...at(field),
    },
  ];
}
