import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { customization } from '#platform/customization/custom-field-registry.js';
import type { CustomFieldConfig } from '#platform/customization/customization.schema.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import { buildListQuery, cursorOf } from '#platform/query/list-query-builder.js';
import { parseListQuery, type ListRequest } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import {
  querySchemaOf,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from '#platform/records/resource-definition.js';
import { csvCell, csvLine } from './csv-cells.js';

/** Rows per keyset page: each page is one short query, so memory stays flat however many rows. */
export const EXPORT_PAGE_SIZE = 1000;

/** List parameters that make no sense for a file of every matching row. */
const NOT_FOR_EXPORT = ['limit', 'count', 'include'];

interface Column {
  header: string;
  numeric: boolean;
  value(record: ApiRecord): unknown;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(';');
  if (Array.isArray(value) && value.length === 0) return '';
  return JSON.stringify(value);
}

const NUMERIC_CUSTOM = new Set(['number', 'decimal']);

function customColumns(field: CustomFieldConfig): Column[] {
  const get = (r: ApiRecord) => (r.customFields as Record<string, unknown> | null)?.[field.code];
  const header = `customFields.${field.code}`;
  if (field.type === 'money') {
    return [
      {
        header: `${header}.amount`,
        numeric: true,
        value: (r) => (get(r) as { amount?: string } | undefined)?.amount,
      },
      {
        header: `${header}.currency`,
        numeric: false,
        value: (r) => (get(r) as { currency?: string } | undefined)?.currency,
      },
    ];
  }
  return [{ header, numeric: NUMERIC_CUSTOM.has(field.type), value: (r) => get(r) }];
}

/**
 * The columns of an export, in the order of the record: `id` first, then the resource's
 * fields, custom fields as `customFields.<code>`, money as `<field>.amount` and
 * `<field>.currency`, lists joined with `;`, structured values (phones, addresses) as JSON.
 * The headers are the field names an import maps by default, so an export imports back.
 * Hidden fields are left out; `fields=` narrows the columns.
 */
export function exportColumns(
  def: ResourceDefinition,
  hidden: ReadonlySet<string>,
  fields: string[] | null,
): Column[] {
  const wanted = (name: string) =>
    !fields ||
    name === 'id' ||
    fields.includes(name) ||
    (name.startsWith('customFields.') && fields.includes('customFields'));
  const columns: Column[] = [];
  const ordered = [
    ...def.attributes.filter((a) => a.name === 'id'),
    ...def.attributes.filter((a) => a.name !== 'id'),
  ];
  for (const a of ordered) {
    if (hidden.has(a.name)) continue;
    if (a.name === 'customFields') {
      for (const f of customization.fieldsOf(def.entity)) {
        const name = `customFields.${f.code}`;
        if (!hidden.has(name) && wanted(name)) columns.push(...customColumns(f));
      }
      continue;
    }
    if (!wanted(a.name)) continue;
    if (a.kind === 'money') {
      columns.push(
        {
          header: `${a.name}.amount`,
          numeric: true,
          value: (r) => (r[a.name] as { amount: string } | null)?.amount,
        },
        {
          header: `${a.name}.currency`,
          numeric: false,
          value: (r) => (r[a.name] as { currency: string } | null)?.currency,
        },
      );
    } else {
      columns.push({
        header: a.name,
        numeric: a.kind === 'scalar' && (a.type === 'integer' || a.type === 'decimal'),
        value: (r) => r[a.name],
      });
    }
  }
  return columns;
}

/**
 * Streams any list of records as CSV: the same filters, sort, search and read scope as the
 * list endpoint (the one list query builder), read in keyset pages so that a million rows
 * cost the memory of one page. Problems with the query answer 400 before the first byte.
 */
@Injectable()
export class RecordExportService {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /** Parses the list parameters of an export; those that page or count are refused. */
  parse(query: Record<string, unknown>): ListRequest {
    const refused = NOT_FOR_EXPORT.filter((k) => k in query);
    if (refused.length) {
      throw new AppError(
        'invalid_query',
        {},
        refused.map((k) => ({
          field: k,
          rule: 'unknownField',
          message: 'is not a parameter of an export (it returns every matching row)',
        })),
      );
    }
    return parseListQuery(query, { defaultLimit: EXPORT_PAGE_SIZE, maxLimit: EXPORT_PAGE_SIZE });
  }

  async export(
    ctx: RequestContext,
    def: ResourceDefinition,
    request: ListRequest,
  ): Promise<Readable> {
    this.permissions.require(ctx.user, def.entity, 'read');
    const known = new Set(def.attributes.map((a) => a.name));
    const unknown = (request.fields ?? []).filter(
      (f) =>
        !known.has(f) &&
        !(
          f.startsWith('customFields.') &&
          customization.field(def.entity, f.slice('customFields.'.length))
        ),
    );
    if (unknown.length) {
      throw new AppError(
        'invalid_query',
        {},
        unknown.map((f) => ({
          field: 'fields',
          rule: 'unknownField',
          message: `"${f}" is not a field`,
          params: { value: f },
        })),
      );
    }
    const columns = exportColumns(
      def,
      this.permissions.hiddenFields(ctx.user, def.entity),
      request.fields,
    );
    const schema = querySchemaOf(def);
    const access = this.permissions.queryAccess(ctx.user);
    const page = async (cursor: string | null) => {
      const compiled = buildListQuery(
        schema,
        { ...request, cursor, limit: EXPORT_PAGE_SIZE, include: [], count: null },
        access,
        new SqlParams(),
      );
      const rows = await this.db.query(ctx, compiled.sql, compiled.params);
      const more = rows.length > EXPORT_PAGE_SIZE;
      const kept = more ? rows.slice(0, EXPORT_PAGE_SIZE) : rows;
      return {
        csv: kept.map((row) => {
          const record = rowToRecord(def, row);
          return csvLine(
            columns.map((c) => {
              const v = c.value(record);
              return csvCell(text(v), c.numeric || typeof v === 'number');
            }),
          );
        }),
        next: more ? cursorOf(kept[kept.length - 1], compiled.keyCount) : null,
      };
    };
    // The first page is read now: a bad filter or cursor is a 400, not a broken download.
    const first = await page(request.cursor);
    const header = csvLine(columns.map((c) => csvCell(c.header)));
    async function* lines(): AsyncGenerator<string> {
      yield header + first.csv.join('');
      let next = first.next;
      while (next) {
        const p = await page(next);
        yield p.csv.join('');
        next = p.next;
      }
    }
    return Readable.from(lines(), { objectMode: false });
  }

  /** `contacts-20260301-093000.csv`. */
  fileName(path: string): string {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace('T', '-')
      .replace(/\..*$/, '');
    return `${path}-${stamp}.csv`;
  }
}
