import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { Principal } from '#platform/context/principal.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { buildListQuery, cursorOf, type CompiledList } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { RecordService } from '#platform/records/record.service.js';
import { querySchemaOf, type ResourceDefinition } from '#platform/records/resource-definition.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import { timelineSchema } from './timeline-schema.js';

export interface RecordRef {
  entity: string;
  id: string;
}

/** What a module says happened, and on which records' timelines it belongs. */
export interface TimelineEntryInput {
  /** A type registered with `defineTypes`, e.g. `call` or `stage_change`. */
  type: string;
  /** Tells apart several entries of one source record (each stage change); default ''. */
  key?: string;
  /** The record the entry describes; its read scope decides who sees the entry. */
  source: RecordRef;
  /** Every record whose timeline shows the entry. */
  subjects: RecordRef[];
  occurredAt: Date | string;
  title: string;
  data?: Record<string, unknown>;
  actorId?: string | null;
}

export interface TimelineEntry {
  id: string;
  type: string;
  occurredAt: string;
  title: string;
  source: RecordRef;
  data: Record<string, unknown>;
  actorId: string | null;
}

type EntryRow = {
  id: string;
  type: string;
  occurred_at: Date;
  title: string;
  source_entity: string;
  source_id: string;
  data: Record<string, unknown>;
  actor_id: string | null;
};

/**
 * The one way modules put things on record timelines (notes, calls, changes of state,
 * messages, whatever a module records about a record) and the one reader of them. Entries are written in the
 * transaction of the change they describe. A reader sees an entry when it may read the
 * source record as it is now, so reassigning or deleting a source needs no rewrite here.
 */
@Injectable()
export class TimelineService {
  private readonly types = new Set<string>();

  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly registry: ResourceRegistry,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /** Entry types a module writes; the timeline's `type` filter accepts exactly these. */
  defineTypes(...types: string[]): void {
    for (const t of types) this.types.add(t);
  }

  knownTypes(): string[] {
    return [...this.types].sort();
  }

  /**
   * Writes an entry on each subject's timeline, replacing what the same source and key wrote
   * before: rows keep their ids (cursors stay valid) and subjects no longer named lose it.
   */
  async put(tx: RequestContext, entry: TimelineEntryInput): Promise<void> {
    if (!this.types.has(entry.type)) throw new Error(`Timeline type ${entry.type} is not defined`);
    const key = entry.key ?? '';
    const subjects = uniqueRefs(entry.subjects);
    await this.db.query(
      tx,
      `DELETE FROM timeline_entries
        WHERE source_entity = $1 AND source_id = $2 AND entry_key = $3
          AND (subject_entity, subject_id) NOT IN (SELECT * FROM unnest($4::text[], $5::uuid[]))`,
      [
        entry.source.entity,
        entry.source.id,
        key,
        subjects.map((s) => s.entity),
        subjects.map((s) => s.id),
      ],
    );
    if (!subjects.length) return;
    await this.db.query(
      tx,
      `INSERT INTO timeline_entries
         (id, subject_entity, subject_id, source_entity, source_id, entry_key, type, occurred_at, title, data, actor_id)
       SELECT s.id, s.entity, s.subject, $4, $5, $6, $7, $8, $9, $10, $11
         FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS s (id, entity, subject)
       ON CONFLICT (source_entity, source_id, entry_key, subject_entity, subject_id) DO UPDATE
         SET type = EXCLUDED.type, occurred_at = EXCLUDED.occurred_at, title = EXCLUDED.title,
             data = EXCLUDED.data, actor_id = EXCLUDED.actor_id`,
      [
        subjects.map(() => uuidv7()),
        subjects.map((s) => s.entity),
        subjects.map((s) => s.id),
        entry.source.entity,
        entry.source.id,
        key,
        entry.type,
        new Date(entry.occurredAt).toISOString(),
        entry.title,
        JSON.stringify(entry.data ?? {}),
        entry.actorId ?? tx.principal?.userId ?? null,
      ],
    );
  }

  /** A record's timeline, newest first by default, keyset-paginated; 404 outside its scope. */
  async page(ctx: RequestContext, subject: RecordRef, request: ListRequest) {
    await this.records.load(ctx, this.registry.get(subject.entity), subject.id);
    const compiled = timelineStatement(
      this.permissions,
      ctx.user,
      this.registry.entities().map((e) => this.registry.get(e)),
      this.knownTypes(),
      subject,
      request,
    );
    const rows = await this.db.read<EntryRow>(ctx, compiled.sql, compiled.params);
    const page = rows.slice(0, request.limit);
    return {
      data: page.map(toEntry),
      meta: {
        nextCursor:
          rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
        limit: request.limit,
      },
    };
  }
}

/**
 * A page of a record's timeline as one statement (exported so the benchmark runs exactly what
 * the API runs). An entry is visible when its source record is live and inside the caller's
 * read scope; record types the caller cannot read at all drop out.
 */
export function timelineStatement(
  permissions: PermissionEvaluator,
  principal: Principal,
  sources: ResourceDefinition[],
  types: string[],
  subject: RecordRef,
  request: ListRequest,
): CompiledList {
  const params = new SqlParams();
  const subjectWhere = [
    `t.subject_entity = ${params.add(subject.entity)}`,
    `t.subject_id = ${params.add(subject.id)}::uuid`,
  ];
  const branches: string[] = [];
  for (const def of sources) {
    const grant = permissions.grant(principal, def.entity);
    if (grant.read === 'none') continue;
    const scope = permissions.scopeSql(principal, grant.read, querySchemaOf(def), 's', params);
    branches.push(
      `WHEN ${params.add(def.entity)} THEN EXISTS (SELECT 1 FROM ${def.table} s WHERE s.id = t.source_id AND s.deleted_at IS NULL AND ${scope})`,
    );
  }
  const visible = branches.length
    ? `(CASE t.source_entity ${branches.join(' ')} ELSE FALSE END)`
    : 'FALSE';
  return buildListQuery(
    timelineSchema(types),
    request,
    permissions.queryAccess(principal),
    params,
    [...subjectWhere, visible],
  );
}

function uniqueRefs(refs: RecordRef[]): RecordRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.entity}/${r.id.toLowerCase()}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toEntry(r: EntryRow): TimelineEntry {
  return {
    id: r.id,
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    title: r.title,
    source: { entity: r.source_entity, id: r.source_id },
    data: r.data,
    actorId: r.actor_id,
  };
}
