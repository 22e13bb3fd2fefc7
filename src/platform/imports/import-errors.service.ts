import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { adminField, listAdminTable } from '#platform/access/admin-list.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { csvCell, csvLine } from '#platform/exports/csv-cells.js';
import { EXPORT_PAGE_SIZE } from '#platform/exports/record-export.service.js';
import { fieldMessage } from '#platform/http/field-messages.js';
import type { Locale } from '#platform/http/locale.js';
import { PROBLEMS, problemText, type ProblemCode } from '#platform/http/problem-catalog.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import type { ImportErrorDto } from './dto/import.dto.js';
import { ImportsRepository, type ErrorRow } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

const ERROR_SCHEMA: QuerySchema = {
  entity: 'import_errors',
  table: 'import_errors',
  softDelete: false,
  alias: 'e',
  fields: new Map([
    adminField('id', 'e.id', 'uuid', { sortable: true }),
    adminField('rowNumber', 'e.row_number', 'integer', { sortable: true }),
    adminField('column', 'e.column_name', 'string', { nullable: true }),
    adminField('field', 'e.field', 'string', { nullable: true }),
    adminField('code', 'e.code', 'string'),
  ]),
  relations: new Map(),
  search: null,
  defaultSort: 'rowNumber',
  ownerColumn: null,
  teamColumn: null,
};

const ERROR_FIELDS = [
  'id',
  'rowNumber',
  'line',
  'column',
  'field',
  'code',
  'message',
  'value',
] satisfies (keyof ImportErrorDto)[];

/** A row error in the caller's language: a problem code's text, or a field rule's message. */
function localize(
  code: string,
  message: string,
  params: Record<string, unknown> | null,
  locale: Locale,
): string {
  return code in PROBLEMS
    ? problemText(code as ProblemCode, locale, params ?? {}).detail
    : fieldMessage(code, locale, params ?? {}, message);
}

/** The row errors of an import: as a list, and as a CSV of the failed rows to correct. */
@Injectable()
export class ImportErrorsService {
  private readonly repo: ImportsRepository;

  constructor(
    private readonly db: DatabaseService,
    private readonly imports: ImportsService,
  ) {
    this.repo = new ImportsRepository(db);
  }

  async list(ctx: RequestContext, id: string, request: ListRequest) {
    await this.imports.load(ctx, id);
    return listAdminTable(
      this.db,
      ctx,
      ERROR_SCHEMA,
      request,
      (rows) =>
        (rows as unknown as ErrorRow[]).map((e): ImportErrorDto => ({
          id: e.id,
          rowNumber: e.row_number,
          line: e.line,
          column: e.column_name,
          field: e.field,
          code: e.code,
          message: localize(e.code, e.message, e.params, ctx.locale),
          value: e.value,
        })),
      ERROR_FIELDS,
      (params) => [`e.import_id = ${params.add(id)}::uuid`],
    );
  }

  /**
   * The failed rows as CSV, each as it was in the file with its problems in front (`row`,
   * `line`, `errors`), so that they can be corrected and imported again: the extra columns
   * are not field names and are left unread.
   */
  async csv(ctx: RequestContext, id: string): Promise<Readable> {
    const imp = await this.imports.load(ctx, id);
    const locale = ctx.locale;
    const repo = this.repo;
    const header = csvLine(['row', 'line', 'errors', ...imp.columns].map((c) => csvCell(c)));
    async function* lines(): AsyncGenerator<string> {
      yield header;
      let after = 0;
      for (;;) {
        const rows = await repo.failedRows(ctx, id, after, EXPORT_PAGE_SIZE);
        if (rows.length === 0) return;
        yield rows
          .map((r) => {
            const problems = r.errors
              .map((e) => {
                const where = e.column_name ?? e.field;
                const text = localize(e.code, e.message, e.params, locale);
                return where ? `${where}: ${text}` : text;
              })
              .join('; ');
            const cells = r.cells ?? [];
            return csvLine(
              [
                String(r.row_number),
                String(r.line),
                problems,
                ...imp.columns.map((_, i) => cells[i] ?? ''),
              ].map((c) => csvCell(c)),
            );
          })
          .join('');
        after = rows[rows.length - 1].row_number;
        if (rows.length < EXPORT_PAGE_SIZE) return;
      }
    }
    return Readable.from(lines(), { objectMode: false });
  }
}
