import { adminField } from '#platform/access/admin-list.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { IMPORT_STATUSES, type ImportDto } from './dto/import.dto.js';
import { resolveMapping } from './import-mapping.js';
import type { ImportableResources } from './importable-resources.js';
import type { ImportRow } from './imports.repository.js';

/** What the job of a running import says about it. */
export interface ImportJobState {
  state: string;
  lastError: string | null;
}

/** Imports are never soft-deleted; each belongs to the user who uploaded it. */
export const IMPORT_SCHEMA: QuerySchema = {
  entity: 'imports',
  table: 'imports',
  softDelete: false,
  alias: 'i',
  fields: new Map([
    adminField('id', 'i.id', 'uuid', { sortable: true }),
    adminField('entity', 'i.entity', 'string', { sortable: true }),
    adminField('status', 'i.status', 'enum', { values: IMPORT_STATUSES }),
    adminField('ownerId', 'i.owner_id', 'uuid'),
    adminField('createdAt', 'i.created_at', 'datetime', { sortable: true }),
    adminField('finishedAt', 'i.finished_at', 'datetime', { nullable: true, sortable: true }),
  ]),
  relations: new Map(),
  search: 'lower(i.file_name)',
  defaultSort: '-createdAt',
  ownerColumn: 'owner_id',
  teamColumn: null,
};

export const IMPORT_FIELDS = new Set<string>([
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

/**
 * An import as the API shows it. A job whose retries ran out (its worker kept dying, or the
 * database kept failing) leaves the import "running" in its row; it is shown as failed.
 */
export function presentImport(
  resources: ImportableResources,
  r: ImportRow,
  job: ImportJobState | null,
): ImportDto {
  const resource = resources.get(r.entity);
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
    error: deadLettered ? (job.lastError ?? 'the import job failed') : r.error,
    ownerId: r.owner_id,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}
