import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { buildListQuery, cursorOf, type QueryAccess } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { hashUpload, stageCsv, type StagedFile } from './csv-staging.js';
import { IMPORT_LIMITS, type ImportDto } from './dto/import.dto.js';
import {
  IMPORT_FIELDS,
  IMPORT_SCHEMA,
  presentImport,
  type ImportJobState,
} from './import-presenter.js';
import { releaseStagedRows } from './import-retention.js';
import { IMPORT_QUEUE, type ImportJobPayload } from './import-runner.js';
import { ImportableResources } from './importable-resources.js';
import { ImportsRepository, type ImportRow } from './imports.repository.js';
import { UploadForm } from './upload-form.js';
import type { UploadPart } from '../http/file-upload.js';

const MAX_RECORD_CHARS = 1024 * 1024;
const IMPORT_RETRIES = 5;

/** Reads a file part to its end, so that the multipart stream moves on. */
async function discard(file: Readable): Promise<void> {
  for await (const chunk of file) void chunk;
}

/**
 * CSV imports: the upload (parsed and staged with COPY as it streams, in one transaction
 * with the import and its job), progress and cancelling. The rows are written by
 * ImportRunner; their errors are read through ImportErrorsService.
 */
@Injectable()
export class ImportsService {
  private readonly repo: ImportsRepository;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly permissions: PermissionEvaluator,
    private readonly resources: ImportableResources,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.repo = new ImportsRepository(db);
  }

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
      await this.repo.allowLongStatements(tx);
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
        const copy = await this.repo.copyRows(tx);
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
      const created = await this.repo.insert(tx, {
        id,
        entity: form.entity!,
        duplicates: form.duplicates,
        mapping,
        columns: staged.header,
        fileName,
        fileBytes: staged.bytes,
        fingerprint,
        total: staged.rows,
        idempotencyKey,
        ownerId: ctx.user.userId,
      });
      // Rolls the staged rows back; the import that took the key answers instead.
      if (!created) throw new KeyTaken(fingerprint);
      const jobId = await this.jobs.enqueue<ImportJobPayload>(
        tx,
        IMPORT_QUEUE,
        { importId: id },
        { singletonKey: `import:${id}`, retryLimit: IMPORT_RETRIES },
      );
      await this.repo.setJob(tx, id, jobId);
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
    return this.repo.findByKey(ctx, ctx.user.userId, key);
  }

  /** An import of the caller's (any import, for admins), else 404. */
  async load(ctx: RequestContext, id: string, forUpdate = false): Promise<ImportRow> {
    const visible = { anyOwner: ctx.user.permissions.admin, ownerId: ctx.user.userId };
    const row = await this.repo.find(ctx, id, visible, forUpdate);
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
    const rows = await this.repo.listPage(ctx, compiled.sql, compiled.params);
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
      meta.total = await this.repo.listCount(ctx, compiled.countSql, compiled.countParams);
    }
    return { data, meta };
  }

  /** Stops an import: rows written so far stay, the rest are not read. */
  async cancel(ctx: RequestContext, id: string): Promise<ImportDto> {
    const row = await this.db.transaction(ctx, async (tx) => {
      const current = await this.load(tx, id, true);
      if (current.status !== 'queued' && current.status !== 'running')
        throw new AppError('import_finished', { status: current.status });
      const updated = await this.repo.markCancelled(tx, id);
      await releaseStagedRows(this.db, tx, id);
      return updated;
    });
    return this.present(row, null);
  }

  /** What the jobs of the imports still queued or running say about them, by import id. */
  private async jobStates(
    ctx: RequestContext,
    rows: ImportRow[],
  ): Promise<Map<string, ImportJobState>> {
    const live = rows.filter((r) => r.job_id && (r.status === 'queued' || r.status === 'running'));
    const states = await this.jobs.states(
      ctx,
      live.map((r) => r.job_id!),
    );
    const byImport = new Map<string, ImportJobState>();
    for (const r of live) {
      const job = states.get(r.job_id!);
      if (job) byImport.set(r.id, job);
    }
    return byImport;
  }

  private present(r: ImportRow, job: ImportJobState | null): ImportDto {
    return presentImport(this.resources, r, job);
  }
}

/** The Idempotency-Key was taken by a request that committed while this one staged its file. */
class KeyTaken extends Error {
  constructor(readonly fingerprint: string) {
    super('idempotency key taken');
  }
}
