import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import { JobsService } from '#platform/jobs/index.js';
import {
  type RecordWrite,
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
  ResourceRegistry,
} from '#platform/records/index.js';
import { TimelineService } from '#platform/timeline/index.js';
import { ActivityTimeline } from './activity-timeline.js';
import { ACTIVITY_DEFINITION, ACTIVITY_TYPES, type ActivityType } from './activity.definition.js';
import { REMINDER_QUEUE, type ReminderJob } from './activity-reminders.js';

/** Which optional fields make sense for which kind of activity. */
const APPLIES_TO: Record<string, readonly ActivityType[]> = {
  direction: ['call', 'email'],
  startsAt: ['call', 'meeting'],
  endsAt: ['call', 'meeting'],
  durationMinutes: ['call', 'meeting'],
  location: ['meeting'],
  outcome: ['call', 'meeting'],
};

/** Notes and logged emails record what happened, so they start completed. */
const DONE_ON_ENTRY: readonly string[] = ['note', 'email'];

function lowerUnique(ids: unknown): string[] | undefined {
  if (!Array.isArray(ids)) return undefined;
  return [...new Set(ids.map((id) => String(id).toLowerCase()))];
}

/**
 * Activities: the generic record rules plus what an activity must make sense of — the record
 * it relates to and its participants must exist and be visible to the writer, fields belong
 * to the kinds of activity they describe, completion is stamped, and each change puts the
 * activity on the timelines it belongs to and (re)arms its reminder, in the same transaction.
 */
@Injectable()
export class ActivitiesService extends RecordResourceService implements OnModuleInit {
  readonly def = ACTIVITY_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    derive: (r) => this.derived(r),
    validate: (ctx, r, changed, existing) => this.validateActivity(ctx, r, changed, existing),
    shape: (input, existing) => this.shaped(input, existing),
    afterWrite: (tx, write) => this.written(tx, write),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly registry: ResourceRegistry,
    private readonly jobs: JobsService,
    private readonly timeline: TimelineService,
    private readonly timelineEntries: ActivityTimeline,
  ) {
    super(records);
  }

  override onModuleInit(): void {
    super.onModuleInit();
    this.timeline.defineTypes(...ACTIVITY_TYPES);
  }

  /** After the record types of every module are known: merges move what points at them. */
  onApplicationBootstrap(): void {
    for (const entity of this.registry.entities()) {
      if (entity === 'activities') continue;
      this.registry.addReference(entity, {
        table: 'activities',
        column: 'related_id',
        entity: 'activities',
        attribute: 'relatedId',
        typedBy: { column: 'related_entity', value: entity },
      });
    }
    this.registry.addReference('contacts', {
      table: 'activities',
      column: 'participant_contact_ids',
      entity: 'activities',
      attribute: 'participantContactIds',
      array: true,
    });
  }

  /**
   * Server-filled values before the checks: ids in one form, a new note or logged email starts
   * completed, and a new reminder time is a new reminder, even after an earlier one was sent.
   */
  private shaped(
    input: Record<string, unknown>,
    existing: ApiRecord | null,
  ): Record<string, unknown> {
    if (!existing)
      return this.normalized({
        status: DONE_ON_ENTRY.includes(String(input.type)) ? 'completed' : 'planned',
        ...input,
      });
    const out = this.normalized(input);
    if (out.reminderAt !== undefined && !sameInstant(out.reminderAt, existing.reminderAt))
      out.reminderSentAt = null;
    return out;
  }

  /** Each change puts the activity on its timelines and arms a reminder it newly needs. */
  private async written(tx: RequestContext, { action, before, after }: RecordWrite) {
    if (action !== 'create' && action !== 'update') return;
    await this.timelineEntries.put(tx, after);
    const at = after.reminderAt as string | null;
    const armed =
      before?.status === 'planned' && sameInstant(at, before.reminderAt) && !!before.reminderAt;
    // A job per arming; the job itself checks the reminder is still wanted and unsent.
    if (at && after.status === 'planned' && !armed) {
      const job: ReminderJob = { activityId: after.id, reminderAt: at };
      await this.jobs.enqueue(tx, REMINDER_QUEUE, job, { runAt: new Date(at) });
    }
  }

  private normalized(input: Record<string, unknown>): Record<string, unknown> {
    const out = { ...input };
    for (const key of ['participantUserIds', 'participantContactIds'] as const) {
      const ids = lowerUnique(out[key]);
      if (ids) out[key] = ids;
    }
    if (typeof out.relatedId === 'string') out.relatedId = out.relatedId.toLowerCase();
    return out;
  }

  /** Completion is stamped once; the activity's place in time follows what it is. */
  private derived(r: Record<string, unknown>): Record<string, unknown> {
    const completedAt =
      r.status === 'completed'
        ? ((r.completedAt as string | null) ?? new Date().toISOString())
        : null;
    const occurredAt =
      completedAt ?? r.startsAt ?? r.dueAt ?? r.createdAt ?? new Date().toISOString();
    return { completed_at: completedAt, occurred_at: occurredAt };
  }

  private async validateActivity(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    const errors: FieldError[] = [];
    const type = r.type as ActivityType;
    for (const [field, types] of Object.entries(APPLIES_TO)) {
      if (
        changed.has(field) &&
        r[field] !== null &&
        r[field] !== undefined &&
        !types.includes(type)
      )
        errors.push({
          field,
          rule: 'notApplicable',
          message: `applies to ${types.join(' and ')} activities only`,
          params: { types: types.join(', ') },
        });
    }
    if (type === 'note' && r.status !== 'completed' && (changed.has('status') || !existing))
      errors.push({
        field: 'status',
        rule: 'isIn',
        message: 'of a note is always completed',
        params: { values: 'completed' },
      });
    if (r.startsAt && r.endsAt && Date.parse(r.endsAt as string) < Date.parse(r.startsAt as string))
      errors.push({ field: 'endsAt', rule: 'min', message: 'must not be before startsAt' });
    if ((r.relatedEntity == null) !== (r.relatedId == null)) {
      const missing = r.relatedEntity == null ? 'relatedEntity' : 'relatedId';
      errors.push({
        field: missing,
        rule: 'requiredWith',
        message: 'is required together with the other related field',
      });
    }
    if (errors.length) throw AppError.validation(errors);
    if (changed.has('relatedEntity') || changed.has('relatedId')) await this.checkRelated(ctx, r);
    if (changed.has('participantContactIds'))
      await this.checkContacts(ctx, r.participantContactIds as string[]);
    if (changed.has('participantUserIds'))
      await this.checkUsers(ctx, r.participantUserIds as string[]);
  }

  private async checkRelated(ctx: RequestContext, r: Record<string, unknown>): Promise<void> {
    const entity = r.relatedEntity as string | null;
    if (!entity) return;
    const known = this.registry.entities().filter((e) => e !== 'activities');
    if (!known.includes(entity))
      throw AppError.field('relatedEntity', 'isIn', `must be one of: ${known.join(', ')}`, {
        values: known.join(', '),
      });
    await this.records.mustReference(ctx, entity, r.relatedId as string, 'relatedId', 'a record');
  }

  private async checkContacts(ctx: RequestContext, ids: string[]): Promise<void> {
    for (const [i, id] of ids.entries())
      await this.records.mustReference(
        ctx,
        'contacts',
        id,
        `participantContactIds[${i}]`,
        'a contact',
      );
  }

  private async checkUsers(ctx: RequestContext, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const found = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id::text FROM users WHERE id = ANY($1::uuid[]) AND active AND deleted_at IS NULL`,
      [ids],
    );
    const live = new Set(found.map((u) => u.id));
    const i = ids.findIndex((id) => !live.has(id));
    if (i >= 0)
      throw AppError.field(
        `participantUserIds[${i}]`,
        'notFound',
        'refers to a user that does not exist or is inactive',
      );
  }
}

function sameInstant(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == b;
  return Date.parse(String(a)) === Date.parse(String(b));
}
