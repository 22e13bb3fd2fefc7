import { Inject, Injectable } from '@nestjs/common';
import { ActivitiesService } from '#operational/activities/index.js';
import { matchedContactsCte } from '#operational/customers/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type CreateOptions,
  type RecordHooks,
  type RecordWrite,
} from '#platform/records/index.js';
import { CALL_DEFINITION } from './call.definition.js';
import { CALLS_SECTION, type CallsConfig } from './calls.config.js';
import { CALL_CALLBACK_SCHEDULED, CALL_LOGGED } from './calls.events.js';
import { phoneKeysOf, toE164 } from './phone-numbers.js';

/**
 * Calls: numbers kept in E.164, the outside party's number matched to a contact when the call
 * is logged, the agent checked, and a requested callback turned into a task due for the agent.
 */
@Injectable()
export class CallsService extends RecordResourceService {
  readonly def = CALL_DEFINITION;
  protected override readonly pointsAt = { contactId: 'contacts' };
  private readonly settings: CallsConfig;

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) => this.shaped(input, existing),
    validate: (ctx, r, changed) => this.validateCall(ctx, r, changed),
    afterWrite: (tx, write) => this.written(tx, write),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly activities: ActivitiesService,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(records);
    this.settings = CALLS_SECTION.read(config);
  }

  /** A new call: taken by the caller unless it names its agent, matched to a contact by number. */
  override async create(
    ctx: RequestContext,
    input: Record<string, unknown>,
    options: CreateOptions = {},
  ) {
    const shaped = this.numbers(input);
    const contactId =
      shaped.contactId !== undefined
        ? shaped.contactId
        : ((await this.contactsByNumber(ctx, shaped.customerNumber as string))[0] ?? null);
    return super.create(ctx, { agentId: ctx.user.userId, ...shaped, contactId }, options);
  }

  /** Live contacts the caller may read whose stored numbers are `e164`, most recently changed first. */
  async contactsByNumber(ctx: RequestContext, e164: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `WITH ${matchedContactsCte('phone_keys', '$1')} SELECT id FROM matched ORDER BY updated_at DESC LIMIT 10`,
      [phoneKeysOf(e164)],
    );
    const readable: string[] = [];
    for (const { id } of rows)
      if (await this.records.isReadable(ctx, 'contacts', id)) readable.push(id);
    return readable;
  }

  /** Normalizes a number the way calls store it (422 when it is no valid number). */
  normalize(raw: string, field = 'number'): string {
    return toE164(raw, this.settings.defaultCountry, field);
  }

  private numbers(input: Record<string, unknown>): Record<string, unknown> {
    const out = { ...input };
    for (const field of ['fromNumber', 'toNumber'] as const)
      if (typeof out[field] === 'string') out[field] = this.normalize(out[field], field);
    if (out.fromNumber !== undefined && out.toNumber !== undefined)
      out.customerNumber = out.direction === 'outbound' ? out.toNumber : out.fromNumber;
    return out;
  }

  private shaped(input: Record<string, unknown>, existing: ApiRecord | null) {
    const out = existing ? { ...input } : this.numbers(input);
    const becomesCallback =
      out.outcome === 'callback_requested' && existing?.outcome !== 'callback_requested';
    if (becomesCallback && !out.callbackDueAt && !existing?.callbackDueAt)
      out.callbackDueAt = new Date(
        Date.now() + this.settings.callbackDelayMinutes * 60_000,
      ).toISOString();
    return out;
  }

  private async validateCall(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    if (changed.has('contactId') && r.contactId)
      await this.records.mustReference(
        ctx,
        'contacts',
        r.contactId as string,
        'contactId',
        'a contact',
      );
    if (changed.has('caseId') && r.caseId)
      await this.records.mustReference(ctx, 'cases', r.caseId as string, 'caseId', 'a case');
    if (changed.has('agentId')) {
      const agent = await this.db.one(
        ctx,
        `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
        [r.agentId],
      );
      if (!agent)
        throw AppError.field(
          'agentId',
          'notFound',
          'refers to a user that does not exist or is inactive',
        );
    }
  }

  private async written(tx: RequestContext, { action, before, after }: RecordWrite) {
    if (action !== 'create' && action !== 'update') return;
    const events = [];
    if (action === 'create')
      events.push(
        CALL_LOGGED.of(after.id, {
          direction: after.direction as string,
          customerNumber: after.customerNumber as string,
          contactId: (after.contactId as string | null) ?? null,
          agentId: after.agentId as string,
          queueId: (after.queueId as string | null) ?? null,
          caseId: (after.caseId as string | null) ?? null,
          startedAt: after.startedAt as string,
          outcome: after.outcome as string,
          ownerId: after.ownerId,
          teamId: after.teamId,
        }),
      );
    if (after.outcome === 'callback_requested' && before?.outcome !== 'callback_requested')
      events.push(await this.scheduleCallback(tx, after));
    return { events };
  }

  /** The callback as a task of the agent, related to the call, due when the call asked. */
  private async scheduleCallback(tx: RequestContext, call: ApiRecord) {
    const dueAt = call.callbackDueAt as string;
    const task = await this.activities.create(tx, {
      type: 'task',
      subject: `Call back ${call.customerNumber as string}`,
      dueAt,
      priority: 'high',
      relatedEntity: 'calls',
      relatedId: call.id,
      ownerId: call.agentId,
      ...(call.contactId ? { participantContactIds: [call.contactId] } : {}),
    });
    return CALL_CALLBACK_SCHEDULED.of(call.id, {
      activityId: task.id,
      agentId: call.agentId as string,
      customerNumber: call.customerNumber as string,
      contactId: (call.contactId as string | null) ?? null,
      dueAt,
    });
  }
}
