import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { NewDomainEvent } from '#platform/events/index.js';
import { decodeHistoryCursor, encodeHistoryCursor } from '#platform/query/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { TimelineService, type RecordRef } from '#platform/timeline/index.js';
import { localized, PipelineCatalog } from '../pipelines/pipeline-catalog.js';
import type { StageHistoryEntryDto } from './dto/opportunity.dto.js';
import { OPPORTUNITY_STAGE_CHANGED } from './opportunities.events.js';

interface StageRow {
  id: string;
  pipeline: string;
  stage: string;
  status: string;
  from_pipeline: string | null;
  from_stage: string | null;
  probability: number;
  amount_amount: string | null;
  amount_currency: string | null;
  entered_at: Date;
  entered_at_text: string;
  left_at: Date | null;
  seconds: number;
  actor_id: string | null;
}

type Money = { amount: string; currency: string } | null;

/**
 * The stages an opportunity went through, one row per stay, written in the transaction of
 * the change that moved it. The open row (left_at NULL) is the current stage.
 */
@Injectable()
export class OpportunityStageHistory implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly timeline: TimelineService,
    private readonly catalog: PipelineCatalog,
  ) {}

  onModuleInit(): void {
    this.timeline.defineTypes('stage_change');
  }

  /** The first stay of a new opportunity. */
  async start(tx: RequestContext, opportunity: ApiRecord): Promise<void> {
    await this.insert(tx, opportunity, null);
  }

  /**
   * Closes the current stay and opens one in the new stage; gives the
   * `opportunity.stage_changed` event with how long the opportunity spent in the old stage.
   */
  async move(tx: RequestContext, before: ApiRecord, after: ApiRecord): Promise<NewDomainEvent> {
    const closed = await this.db.one<{ seconds: number }>(
      tx,
      `UPDATE opportunity_stage_history SET left_at = now()
        WHERE opportunity_id = $1 AND left_at IS NULL
        RETURNING extract(epoch FROM left_at - entered_at)::float8 AS seconds`,
      [after.id],
    );
    await this.insert(tx, after, before);
    return OPPORTUNITY_STAGE_CHANGED.of(after.id, {
      from: { pipeline: before.pipeline, stage: before.stage, status: before.status },
      to: { pipeline: after.pipeline, stage: after.stage, status: after.status },
      secondsInPreviousStage: closed ? Math.round(closed.seconds) : null,
      probability: after.probability,
      amount: after.amount,
      ownerId: after.ownerId,
      teamId: after.teamId,
      accountId: after.accountId,
    });
  }

  private async insert(tx: RequestContext, o: ApiRecord, from: ApiRecord | null): Promise<void> {
    const amount = o.amount as Money;
    const id = uuidv7();
    await this.db.query(
      tx,
      `INSERT INTO opportunity_stage_history
         (id, opportunity_id, pipeline, stage, status, from_pipeline, from_stage, probability, amount_amount, amount_currency, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        o.id,
        o.pipeline,
        o.stage,
        o.status,
        from?.pipeline ?? null,
        from?.stage ?? null,
        o.probability,
        amount?.amount ?? null,
        amount?.currency ?? null,
        tx.principal?.userId ?? null,
      ],
    );
    await this.putOnTimelines(tx, id, o, from);
  }

  /** Each stay starts with an entry on the opportunity's, its account's and its contact's timelines. */
  private async putOnTimelines(
    tx: RequestContext,
    stayId: string,
    o: ApiRecord,
    from: ApiRecord | null,
  ) {
    const label = (pipeline: unknown, stage: unknown) => {
      const s = this.catalog.stage(pipeline, stage);
      return s ? localized(s.label, 'en') : String(stage);
    };
    const to = label(o.pipeline, o.stage);
    const subjects: RecordRef[] = [
      { entity: 'opportunities', id: o.id },
      { entity: 'accounts', id: o.accountId as string },
    ];
    if (o.primaryContactId) subjects.push({ entity: 'contacts', id: o.primaryContactId as string });
    await this.timeline.put(tx, {
      type: 'stage_change',
      key: `stage:${stayId}`,
      source: { entity: 'opportunities', id: o.id },
      subjects,
      occurredAt: new Date(),
      title: from
        ? `${o.name as string}: ${label(from.pipeline, from.stage)} → ${to}`
        : `${o.name as string} opened in ${to}`,
      data: {
        pipeline: o.pipeline,
        stage: o.stage,
        status: o.status,
        fromPipeline: from?.pipeline ?? null,
        fromStage: from?.stage ?? null,
        probability: o.probability,
      },
    });
  }

  /** Oldest first, keyset-paginated by (entered_at, id). */
  async list(
    ctx: RequestContext,
    opportunityId: string,
    limit: number,
    cursor: string | null,
  ): Promise<{ data: StageHistoryEntryDto[]; nextCursor: string | null }> {
    const params: unknown[] = [opportunityId];
    let after = '';
    if (cursor) {
      const [at, id] = decodeHistoryCursor(cursor);
      params.push(at, id);
      after = 'AND (entered_at, id) > ($2::timestamptz, $3::uuid)';
    }
    const rows = await this.db.query<StageRow>(
      ctx,
      `SELECT id, pipeline, stage, status, from_pipeline, from_stage, probability, amount_amount,
              amount_currency, entered_at, entered_at::text AS entered_at_text, left_at, actor_id,
              extract(epoch FROM coalesce(left_at, now()) - entered_at)::float8 AS seconds
         FROM opportunity_stage_history
        WHERE opportunity_id = $1 ${after}
        ORDER BY entered_at, id LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        id: r.id,
        pipeline: r.pipeline,
        stage: r.stage,
        status: r.status,
        fromPipeline: r.from_pipeline,
        fromStage: r.from_stage,
        probability: r.probability,
        amount:
          r.amount_amount === null
            ? null
            : { amount: String(r.amount_amount), currency: String(r.amount_currency).trim() },
        enteredAt: r.entered_at.toISOString(),
        leftAt: r.left_at ? r.left_at.toISOString() : null,
        secondsInStage: Math.max(0, Math.round(r.seconds)),
        actorId: r.actor_id,
      })),
      nextCursor:
        rows.length > limit && last ? encodeHistoryCursor(last.entered_at_text, last.id) : null,
    };
  }
}
