import { Injectable } from '@nestjs/common';
import { adminField, listAdminTable } from '#platform/access/admin-list.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import type { JobDto } from './dto/job.dto.js';
import { JOB_STATES } from './job.types.js';
import { JobsRepository, type JobRow } from './jobs.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Jobs are never soft-deleted: the list reads the table as it is. */
const JOB_SCHEMA: QuerySchema = {
  entity: 'jobs',
  table: 'jobs',
  softDelete: false,
  alias: 'j',
  fields: new Map([
    adminField('id', 'j.id', 'uuid', { sortable: true }),
    adminField('queue', 'j.queue', 'string', { sortable: true }),
    adminField('state', 'j.state', 'enum', { values: JOB_STATES }),
    adminField('attempts', 'j.attempts', 'integer', { sortable: true }),
    adminField('runAt', 'j.run_at', 'datetime', { sortable: true }),
    adminField('lastError', 'j.last_error', 'string', { nullable: true }),
    adminField('singletonKey', 'j.singleton_key', 'string', { nullable: true }),
    adminField('createdAt', 'j.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 'j.updated_at', 'datetime', { sortable: true }),
    adminField('failedAt', 'j.failed_at', 'datetime', { nullable: true, sortable: true }),
    adminField('completedAt', 'j.completed_at', 'datetime', { nullable: true }),
  ]),
  relations: new Map(),
  search: 'lower(j.queue)',
  defaultSort: '-createdAt',
  ownerColumn: null,
  teamColumn: null,
};

const JOB_FIELDS = [
  'id',
  'queue',
  'state',
  'payload',
  'attempts',
  'retryLimit',
  'runAt',
  'lastError',
  'singletonKey',
  'lockedBy',
  'createdAt',
  'startedAt',
  'completedAt',
  'failedAt',
  'updatedAt',
] as const satisfies readonly (keyof JobDto)[];

function present(r: JobRow): JobDto {
  return {
    id: r.id,
    queue: r.queue,
    state: r.state,
    payload: r.payload,
    attempts: r.attempts,
    retryLimit: r.retry_limit,
    runAt: r.run_at.toISOString(),
    lastError: r.last_error,
    singletonKey: r.singleton_key,
    lockedBy: r.locked_by,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
    failedAt: iso(r.failed_at),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What an admin sees of the queue: jobs by state and queue, and a way to retry dead letters. */
@Injectable()
export class JobsAdminService {
  private readonly repo: JobsRepository;

  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
  ) {
    this.repo = new JobsRepository(db);
  }

  async list(ctx: RequestContext, request: ListRequest) {
    this.permissions.requireAdmin(ctx.user);
    return listAdminTable(
      this.db,
      ctx,
      JOB_SCHEMA,
      request,
      async (rows) => (rows as unknown as JobRow[]).map(present),
      JOB_FIELDS,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<JobDto> {
    this.permissions.requireAdmin(ctx.user);
    const row = await this.repo.find(ctx, id);
    if (!row) throw AppError.notFound('job', id);
    return present(row);
  }

  /** A dead-lettered job gets a fresh set of retries and runs as soon as a worker is free. */
  async retry(ctx: RequestContext, id: string): Promise<JobDto> {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const row = await this.repo.find(tx, id, true);
      if (!row) throw AppError.notFound('job', id);
      if (row.state !== 'failed') throw new AppError('job_not_retryable', { state: row.state });
      const updated = await this.repo.requeue(tx, id);
      await this.repo.notify(tx, row.queue);
      return present(updated);
    });
  }
}
