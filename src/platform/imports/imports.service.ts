import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { csvCell, csvLine } from '#platform/exports/csv-cells.js';
import { EXPORT_PAGE_SIZE } from '#platform/exports/record-export.service.js';
import { listAdminTable } from '#platform/access/admin-list.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import { fieldMessage } from '#platform/http/field-messages.js';
import type { Locale } from '#platform/http/locale.js';
import { PROBLEMS, problemText, type ProblemCode } from '#platform/http/problem-catalog.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { buildListQuery, cursorOf, type QueryAccess } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { QueryField, QuerySchema } from '#platform/query/query-schema.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { hashUpload, stageCsv, type StagedFile } from './csv-staging.js';
import {
  DUPLICATE_MODES,
  IMPORT_STATUSES,
  type DuplicateMode,
  type ImportDto,
  type ImportErrorDto,
  IMPORT_LIMITS,
  type ImportStatus,
} from './dto/import.dto.js';
import { checkMapping, resolveMapping, type RawMapping } from './import-mapping.js';
import { releaseStagedRows } from './import-retention.js';
import { IMPORT_QUEUE, type ImportJobPayload } from './import-runner.js';
import { ImportableResources, type ImportableResource } from './importable-resources.js';

/** One part of a multipart upload, as @fastify/multipart hands them over. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable };

const FORM_FIELDS = new Set(['entity', 'mapping', 'duplicates']);
const MAX_RECORD_CHARS = 1024 * 1024;
const IMPORT_RETRIES = 5;

interface ImportRow {
  id: string;
  entity: string;
  status: ImportStatus;
  duplicates: DuplicateMode;
  mapping: RawMapping | null;
  columns: string[];
  file_name: string | null;
  file_bytes: string;
  fingerprint: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  next_row: number;
  error: string | null;
  owner_id: string;
  job_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

interface ErrorRow {
  id: string;
  row_number: number;
  line: number;
  column_name: string | null;
  field: string | null;
  code: string;
  message: string;
  params: Record<string, unknown> | null;
  value: string | null;
}

function field(
  name: string,
  sql: string,
  type: QueryField['type'],
  options: Partial<QueryField> = {},
): [string, QueryField] {
  return [
    name,
    { name, sql, type, nullable: false, sortable: false, permissionField: name, ...options },
  ];
}

/** Imports are never soft-deleted; each belongs to the user who uploaded it. */
const IMPORT_SCHEMA: QuerySchema = {
  entity: 'imports',
  table: 'imports',
  softDelete: false,
  alias: 'i',
  fields: new Map([
    field('id', 'i.id', 'uuid', { sortable: true }),
    field('entity', 'i.entity', 'string', { sortable: true }),
    field('status', 'i.status', 'enum', { values: IMPORT_STATUSES }),
    field('ownerId', 'i.owner_id', 'uuid'),
    field('createdAt', 'i.created_at', 'datetime', { sortable: true }),
    field('finishedAt', 'i.finished_at', 'datetime', { nullable: true, sortable: true }),
  ]),
  relations: new Map(),
  search: 'lower(i.file_name)',
  defaultSort: '-createdAt',
  ownerColumn: 'owner_id',
  teamColumn: null,
};

const ERROR_SCHEMA: QuerySchema = {
  entity: 'import_errors',
  table: 'import_errors',
  softDelete: false,
  alias: 'e',
  fields: new Map([
    field('id', 'e.id', 'uuid', { sortable: true }),
    field('rowNumber', 'e.row_number', 'integer', { sortable: true }),
    field('column', 'e.column_name', 'string', { nullable: true }),
    field('field', 'e.field', 'string', { nullable: true }),
    field('code', 'e.code', 'string'),
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

const IMPORT_FIELDS = new Set<string>([
  'id',
  'entity',
  'status',
  'duplicates',
  'fileName',
  'fileBytes',
  'columns',
  'mapping',
  'ignoredColumns',
  'total',
  'processed',
  'created',
  'updated',
  'skipped',
  'failed',
  'error',
  'ownerId',
  'createdAt',
  'startedAt',
  'finishedAt',
] satisfies (keyof ImportDto)[]);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

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

/** Reads a file part to its end, so that the multipart stream moves on. */
async function discard(file: Readable): Promise<void> {
  for await (const chunk of file) void chunk;
}

/**
 * The form of an upload, checked field by field as the parts arrive, so that a caller who
 * may not import (403) or names an unknown entity (400) hears it before the file is read
 * whenever the fields come first.
 */
class UploadForm {
  entity: string | undefined;
  duplicates: DuplicateMode = 'skip';
  mapping: RawMapping | null = null;
  resource: ImportableResource | undefined;
  private readonly given = new Set<string>();

  constructor(
    private readonly ctx: RequestContext,
    private readonly resources: ImportableResources,
    private readonly permissions: PermissionEvaluator,
  ) {}

  add(name: string, value: unknown): void {
    if (!FORM_FIELDS.has(name)) throw AppError.field(name, 'unknownField', 'is not a known field');
    if (this.given.has(name)) throw AppError.field(name, 'unique', 'is given twice');
    this.given.add(name);
    const text = typeof value === 'string' ? value.trim() : value;
    const maxLength = name === 'mapping' ? IMPORT_LIMITS.mapping : IMPORT_LIMITS.entity;
    if (typeof text === 'string' && text.length > maxLength)
      throw AppError.field(name, 'maxLength', `must be at most ${maxLength} characters`, {
        max: maxLength,
      });
    if (name === 'entity') {
      if (typeof text !== 'string' || !this.resources.get(text)) {
        throw AppError.field(
          'entity',
          'isIn',
          `must be one of: ${this.resources.entities().join(', ')}`,
          {
            values: this.resources.entities().join(', '),
          },
        );
      }
      this.entity = text;
      this.resource = this.resources.get(text);
      this.permissions.require(this.ctx.user, text, 'create');
    } else if (name === 'duplicates') {
      if (!DUPLICATE_MODES.includes(text as DuplicateMode))
        throw AppError.field(
          'duplicates',
          'isIn',
          `must be one of: ${DUPLICATE_MODES.join(', ')}`,
          {
            values: DUPLICATE_MODES.join(', '),
          },
        );
      this.duplicates = text as DuplicateMode;
    } else {
      let parsed: unknown;
      try {
        parsed = typeof text === 'string' ? JSON.parse(text) : text;
      } catch {
        throw AppError.field('mapping', 'isJson', 'must be valid JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw AppError.field(
          'mapping',
          'isObject',
          'must be a JSON object of CSV column → field name',
        );
      this.mapping = parsed as RawMapping;
    }
    this.checkSoFar(null);
  }

  /** What can be checked with what is known: permissions, then the mapping (against `header` once read). */
  checkSoFar(header: readonly string[] | null): void {
    const resource = this.resource;
    if (!resource) return;
    const entity = resource.def.entity;
    if (this.duplicates === 'update') this.permissions.require(this.ctx.user, entity, 'update');
    if (this.mapping) {
      const errors: FieldError[] = checkMapping(resource.def, this.mapping, header);
      if (errors.length) throw AppError.validation(errors);
      for (const f of Object.values(this.mapping)) if (f) this.checkWritable(f);
    }
  }

  private writable(fieldName: string): boolean {
    const def = this.resource!.def;
    const root = fieldName.startsWith('customFields.')
      ? fieldName.split('.').slice(0, 2).join('.')
      : fieldName.split(/[.[]/)[0];
    const access = this.permissions.field(this.ctx.user, def.entity, root);
    if (access === 'hidden' || access === 'read-only') return false;
    if (root === 'ownerId' || root === 'teamId')
      return this.permissions.grant(this.ctx.user, def.entity).reassign;
    return true;
  }

  private checkWritable(fieldName: string): void {
    if (this.writable(fieldName)) return;
    const root = fieldName.split(/[.[]/)[0];
    if (root === 'ownerId' || root === 'teamId')
      throw new AppError('reassign_forbidden', { entity: this.resource!.def.entity });
    throw new AppError('field_read_only', { field: fieldName });
  }

  /** The mapping to store: as given, or — without one — the file's columns that name a field the caller may write. */
  finish(header: readonly string[]): RawMapping | null {
    if (!this.resource) throw AppError.field('entity', 'required', 'is required');
    this.checkSoFar(header);
    if (this.mapping) return this.mapping;
    const readable = resolveMapping(this.resource.def, header, null).columns.filter((c) =>
      this.writable(c.field),
    );
    if (readable.length === 0)
      throw AppError.field(
        'mapping',
        'required',
        'is required: no column of the file is named after a field',
      );
    // Stored explicitly, so the columns the caller may not write stay out for good.
    return Object.fromEntries(readable.map((c) => [c.column, c.field]));
  }

  /** What a repeated Idempotency-Key must match: the file's hash, the entity, mode and mapping. */
  fingerprint(sha256: string): string {
    return createHash('sha256')
      .update(
        canonical({
          entity: this.entity,
          duplicates: this.duplicates,
          mapping: this.mapping,
          sha256,
        }),
      )
      .digest('hex');
  }
}

/**
 * CSV imports: the upload (parsed and staged with COPY as it streams, in one transaction
 * with the import and its job), progress, row errors (as a list and as a CSV of the failed
 * rows), and cancelling. The rows are written by ImportRunner.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly permissions: PermissionEvaluator,
    private readonly resources: ImportableResources,
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /**
   * Reads an upload and starts its import. With an Idempotency-Key already used by this
   * caller, the file is only hashed: the same file, entity, mapping and duplicates answer the
   * first import again (`replayed`), anything else 422.
   */
  async start(
    ctx: RequestContext,
    parts: AsyncIterable<UploadPart>,
    idempotencyKey: string | undefined,
  ): Promise<{ import: ImportDto; replayed: boolean }> {
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length === 0 || idempotencyKey.length > 255)
    )
      throw AppError.field('Idempotency-Key', 'maxLength', 'must be 1 to 255 characters', {
        max: 255,
      });
    const form = new UploadForm(ctx, this.resources, this.permissions);
    const iterator = parts[Symbol.asyncIterator]();
    try {
      const prior = idempotencyKey ? await this.byKey(ctx, idempotencyKey) : null;
      if (prior) return { import: await this.replay(ctx, prior, form, iterator), replayed: true };
      return {
        import: await this.stage(ctx, form, iterator, idempotencyKey ?? null),
        replayed: false,
      };
    } catch (err) {
      await this.drain(iterator);
      if (idempotencyKey && err instanceof KeyTaken) {
        // Another request with this key committed first; it answers for both.
        const prior = await this.byKey(ctx, idempotencyKey);
        if (prior)
          return { import: await this.checkReplay(ctx, prior, err.fingerprint), replayed: true };
      }
      throw err;
    }
  }

  private async next(iterator: AsyncIterator<UploadPart>): Promise<UploadPart | null> {
    try {
      const { value, done } = await iterator.next();
      return done ? null : value;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'FST_REQ_FILE_TOO_LARGE')
        throw new AppError('payload_too_large', { limit: this.env.importMaxBytes });
      if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new AppError('multipart_required');
      if (code.startsWith('FST_'))
        throw AppError.field('(body)', 'multipart', (err as Error).message);
      throw err;
    }
  }

  /** Reads what is left of the request, so that the answer goes out on a healthy connection. */
  private async drain(iterator: AsyncIterator<UploadPart>): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return;
        if (value.type === 'file') await discard(value.file);
      }
    } catch {
      // The request is broken or over its limits; nothing more to read.
    }
  }

  private async stage(
    ctx: RequestContext,
    form: UploadForm,
    iterator: AsyncIterator<UploadPart>,
    idempotencyKey: string | null,
  ): Promise<ImportDto> {
    const id = uuidv7();
    const row = await this.db.transaction(ctx, async (tx) => {
      // COPY of a large file is one statement; it may take longer than an API call should.
      await this.db.query(tx, `SET LOCAL statement_timeout = 0`);
      let staged: StagedFile | null = null;
      let fileName: string | null = null;
      for (let part = await this.next(iterator); part; part = await this.next(iterator)) {
        if (part.type === 'field') {
          form.add(part.fieldname, part.value);
          continue;
        }
        if (part.fieldname !== 'file' || staged) {
          await discard(part.file);
          throw staged
            ? AppError.field('file', 'arrayMaxSize', 'must be one file', { max: 1 })
            : AppError.field(part.fieldname, 'unknownField', 'is not a known field');
        }
        try {
          form.checkSoFar(null);
        } catch (err) {
          await discard(part.file);
          throw err;
        }
        const copy = await this.db.copyFrom(
          tx,
          `COPY import_rows (import_id, row_number, line, cells) FROM STDIN`,
        );
        staged = await stageCsv(part.file, copy, id, {
          maxBytes: this.env.importMaxBytes,
          maxColumns: IMPORT_LIMITS.columns,
          maxColumnChars: IMPORT_LIMITS.columnName,
          maxRecordChars: MAX_RECORD_CHARS,
        });
        fileName = part.filename ? part.filename.slice(0, 255) : null;
      }
      if (!staged) throw AppError.field('file', 'required', 'is required');
      const mapping = form.finish(staged.header);
      const fingerprint = form.fingerprint(staged.sha256);
      const [created] = await this.db.query<ImportRow>(
        tx,
        `INSERT INTO imports (id, entity, duplicates, mapping, columns, file_name, file_bytes, fingerprint, total, idempotency_key, owner_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING *`,
        [
          id,
          form.entity,
          form.duplicates,
          JSON.stringify(mapping),
          staged.header,
          fileName,
          staged.bytes,
          fingerprint,
          staged.rows,
          idempotencyKey,
          ctx.user.userId,
        ],
      );
      // Rolls the staged rows back; the import that took the key answers instead.
      if (!created) throw new KeyTaken(fingerprint);
      const jobId = await this.jobs.enqueue<ImportJobPayload>(
        tx,
        IMPORT_QUEUE,
        { importId: id },
        { singletonKey: `import:${id}`, retryLimit: IMPORT_RETRIES },
      );
      await this.db.query(tx, `UPDATE imports SET job_id = $2 WHERE id = $1`, [id, jobId]);
      return { ...created, job_id: jobId };
    });
    return this.present(row, null);
  }

  private async replay(
    ctx: RequestContext,
    prior: ImportRow,
    form: UploadForm,
    iterator: AsyncIterator<UploadPart>,
  ): Promise<ImportDto> {
    let sha256: string | null = null;
    for (let part = await this.next(iterator); part; part = await this.next(iterator)) {
      if (part.type === 'field') form.add(part.fieldname, part.value);
      else if (part.fieldname === 'file' && sha256 === null)
        sha256 = (await hashUpload(part.file, this.env.importMaxBytes)).sha256;
      else await discard(part.file);
    }
    if (sha256 === null) throw AppError.field('file', 'required', 'is required');
    return this.checkReplay(ctx, prior, form.fingerprint(sha256));
  }

  private async checkReplay(
    ctx: RequestContext,
    prior: ImportRow,
    fingerprint: string,
  ): Promise<ImportDto> {
    if (fingerprint !== prior.fingerprint) throw new AppError('idempotency_mismatch');
    return this.get(ctx, prior.id);
  }

  private async byKey(ctx: RequestContext, key: string): Promise<ImportRow | null> {
    return this.db.one<ImportRow>(
      ctx,
      `SELECT * FROM imports WHERE owner_id = $1 AND idempotency_key = $2`,
      [ctx.user.userId, key],
    );
  }

  /** An import of the caller's (any import, for admins), else 404. */
  private async load(ctx: RequestContext, id: string, forUpdate = false): Promise<ImportRow> {
    const row = await this.db.one<ImportRow>(
      ctx,
      `SELECT * FROM imports WHERE id = $1 AND ($2::boolean OR owner_id = $3) ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id, ctx.user.permissions.admin, ctx.user.userId],
    );
    if (!row) throw AppError.notFound('import', id);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<ImportDto> {
    const row = await this.load(ctx, id);
    return this.present(row, await this.jobStates(ctx, [row]).then((m) => m.get(row.id) ?? null));
  }

  async list(ctx: RequestContext, request: ListRequest) {
    const access: QueryAccess = {
      scope: (_schema, alias, params) =>
        ctx.user.permissions.admin
          ? 'TRUE'
          : `${alias}.owner_id = ${params.add(ctx.user.userId)}::uuid`,
      isHidden: () => false,
    };
    const unknown = (request.fields ?? []).filter((f) => !IMPORT_FIELDS.has(f));
    if (unknown.length || request.include.length)
      throw new AppError(
        'invalid_query',
        {},
        [...unknown, ...request.include].map((f) => ({
          field: unknown.includes(f) ? 'fields' : 'include',
          rule: 'unknownField',
          message: `"${f}" is not a field`,
          params: { value: f },
        })),
      );
    const compiled = buildListQuery(IMPORT_SCHEMA, request, access, new SqlParams());
    const rows = await this.db.query<ImportRow & Record<string, unknown>>(
      ctx,
      compiled.sql,
      compiled.params,
    );
    const page = rows.slice(0, request.limit);
    const jobs = await this.jobStates(ctx, page);
    const fields = request.fields;
    const data = page.map((r) => {
      const dto = this.present(r, jobs.get(r.id) ?? null);
      return fields
        ? Object.fromEntries(Object.entries(dto).filter(([k]) => k === 'id' || fields.includes(k)))
        : dto;
    });
    const meta: { nextCursor: string | null; limit: number; total?: number } = {
      nextCursor:
        rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
      limit: request.limit,
    };
    if (request.count) {
      const [{ n }] = await this.db.query<{ n: string }>(
        ctx,
        compiled.countSql,
        compiled.countParams,
      );
      meta.total = Number(n);
    }
    return { data, meta };
  }

  /** Stops an import: rows written so far stay, the rest are not read. */
  async cancel(ctx: RequestContext, id: string): Promise<ImportDto> {
    const row = await this.db.transaction(ctx, async (tx) => {
      const current = await this.load(tx, id, true);
      if (current.status !== 'queued' && current.status !== 'running')
        throw new AppError('import_finished', { status: current.status });
      const [updated] = await this.db.query<ImportRow>(
        tx,
        `UPDATE imports SET status = 'cancelled', finished_at = now(), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id],
      );
      await releaseStagedRows(this.db, tx, id);
      return updated;
    });
    return this.present(row, null);
  }

  async errors(ctx: RequestContext, id: string, request: ListRequest) {
    await this.load(ctx, id);
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
  async errorsCsv(ctx: RequestContext, id: string): Promise<Readable> {
    const imp = await this.load(ctx, id);
    const locale = ctx.locale;
    const db = this.db;
    const header = csvLine(['row', 'line', 'errors', ...imp.columns].map((c) => csvCell(c)));
    async function* lines(): AsyncGenerator<string> {
      yield header;
      let after = 0;
      for (;;) {
        const rows = await db.query<{
          row_number: number;
          line: number;
          errors: ErrorRow[];
          cells: string[] | null;
        }>(
          ctx,
          `SELECT g.row_number, g.line, g.errors, r.cells FROM (
             SELECT row_number, min(line) AS line,
                    json_agg(json_build_object('column_name', column_name, 'field', field, 'code', code,
                                               'message', message, 'params', params) ORDER BY id) AS errors
               FROM import_errors WHERE import_id = $1 AND row_number > $2
              GROUP BY row_number ORDER BY row_number LIMIT ${EXPORT_PAGE_SIZE}
           ) g LEFT JOIN import_rows r ON r.import_id = $1 AND r.row_number = g.row_number
           ORDER BY g.row_number`,
          [id, after],
        );
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

  private async jobStates(
    ctx: RequestContext,
    rows: ImportRow[],
  ): Promise<Map<string, { state: string; last_error: string | null }>> {
    const ids = rows.filter((r) => r.job_id && (r.status === 'queued' || r.status === 'running'));
    if (ids.length === 0) return new Map();
    const jobs = await this.db.query<{ id: string; state: string; last_error: string | null }>(
      ctx,
      `SELECT id, state, last_error FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids.map((r) => r.job_id)],
    );
    const byJob = new Map(jobs.map((j) => [j.id, j]));
    return new Map(
      ids.map((r) => [r.id, byJob.get(r.job_id!)!]).filter(([, j]) => j) as [
        string,
        { state: string; last_error: string | null },
      ][],
    );
  }

  /**
   * An import as the API shows it. A job whose retries ran out (its worker kept dying, or the
   * database kept failing) leaves the import "running" in its row; it is shown as failed.
   */
  private present(
    r: ImportRow,
    job: { state: string; last_error: string | null } | null,
  ): ImportDto {
    const resource = this.resources.get(r.entity);
    const resolved = resource
      ? resolveMapping(resource.def, r.columns, r.mapping)
      : { columns: [], ignored: r.columns };
    const deadLettered = job?.state === 'failed';
    return {
      id: r.id,
      entity: r.entity,
      status: deadLettered ? 'failed' : r.status,
      duplicates: r.duplicates,
      fileName: r.file_name,
      fileBytes: Number(r.file_bytes),
      columns: r.columns,
      mapping: Object.fromEntries(resolved.columns.map((c) => [c.column, c.field])),
      ignoredColumns: resolved.ignored,
      total: r.total,
      processed: r.processed,
      created: r.created,
      updated: r.updated,
      skipped: r.skipped,
      failed: r.failed,
      error: deadLettered ? (job.last_error ?? 'the import job failed') : r.error,
      ownerId: r.owner_id,
      createdAt: r.created_at.toISOString(),
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
    };
  }
}

/** The Idempotency-Key was taken by a request that committed while this one staged its file. */
class KeyTaken extends Error {
  constructor(readonly fingerprint: string) {
    super('idempotency key taken');
  }
}
