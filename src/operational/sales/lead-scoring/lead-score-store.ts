import { Injectable } from '@nestjs/common';
import type { LeadScoringRuleConfig } from '../lead-rules/lead-rules.config.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { decodeHistoryCursor, encodeHistoryCursor, SqlParams } from '#platform/query/index.js';
import { recordSelect, rowToRecord, type ApiRecord } from '#platform/records/index.js';
import { LEAD_DEFINITION, OPEN_LEAD_STATUSES } from '../leads/lead.definition.js';
import type { MatchedRule } from './lead-scorer.js';

export type ScoreReason = 'change' | 'activity' | 'nightly';

export interface ScoreHistoryRow {
  id: string;
  score: number;
  previousScore: number;
  rules: MatchedRule[];
  reason: ScoreReason;
  at: string;
}

/** What the scorer needs from the database for a batch of leads. */
export interface ActivityFacts {
  /** Database time, so windows and lead ages agree with `occurred_at`. */
  now: Date;
  /** Per lead, per activity rule: how many of its activities the rule counts. */
  counts: Map<string, Map<string, number>>;
}

/** The SQL of lead scoring: locking open leads, counting activity signals, score history. */
@Injectable()
export class LeadScoreStore {
  constructor(private readonly db: DatabaseService) {}

  /**
   * The open leads among `ids`, locked for the rest of the transaction, in id order (the
   * order every locker uses, so two batches never deadlock). `skipLocked` passes over leads
   * being changed right now: that change scores them itself.
   */
  async lockOpenLeads(
    tx: RequestContext,
    ids: readonly string[],
    skipLocked = false,
  ): Promise<ApiRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query(
      tx,
      `SELECT ${recordSelect(LEAD_DEFINITION)} FROM leads l
        WHERE l.id = ANY($1::uuid[]) AND l.deleted_at IS NULL AND l.status = ANY($2::text[])
        ORDER BY l.id FOR UPDATE ${skipLocked ? 'SKIP LOCKED' : ''}`,
      [ids, OPEN_LEAD_STATUSES],
    );
    return rows.map((r) => rowToRecord(LEAD_DEFINITION, r));
  }

  /** Ids of open leads after `afterId`, in id order: the nightly run's next batch. */
  async openLeadIdsAfter(ctx: RequestContext, afterId: string | null, limit: number) {
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id FROM leads
        WHERE deleted_at IS NULL AND status = ANY($1::text[]) AND ($2::uuid IS NULL OR id > $2::uuid)
        ORDER BY id LIMIT $3`,
      [OPEN_LEAD_STATUSES, afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Leads the activities relate to, deleted activities included. */
  async leadsOfActivities(ctx: RequestContext, activityIds: readonly string[]): Promise<string[]> {
    if (activityIds.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT DISTINCT related_id AS id FROM activities
        WHERE id = ANY($1::uuid[]) AND related_entity = 'leads'`,
      [activityIds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * For each lead, how many of its activities each activity rule counts: those of the rule's
   * types, direction and statuses that happened within its window (and not in the future: a
   * meeting planned for next week has not engaged anyone yet). One statement for the batch.
   */
  async activityFacts(
    ctx: RequestContext,
    leadIds: readonly string[],
    rules: readonly LeadScoringRuleConfig[],
  ): Promise<ActivityFacts> {
    const signals = rules.filter((r) => r.activity);
    if (signals.length === 0 || leadIds.length === 0)
      return { now: await this.now(ctx), counts: new Map() };
    const params = new SqlParams();
    const ids = params.add(leadIds);
    const columns = signals.map((r, i) => {
      const a = r.activity!;
      const tests = [
        `a.status = ANY(${params.add(a.status ?? ['completed'])}::text[])`,
        `a.occurred_at >= now() - make_interval(days => ${params.add(a.within)}::int)`,
      ];
      if (a.types) tests.push(`a.type = ANY(${params.add(a.types)}::text[])`);
      if (a.direction) tests.push(`a.direction = ${params.add(a.direction)}`);
      return `count(a.id) FILTER (WHERE ${tests.join(' AND ')})::int AS c${i}`;
    });
    const widest = Math.max(0, ...signals.map((r) => r.activity!.within));
    const rows = await this.db.query<Record<string, unknown> & { id: string; now: Date }>(
      ctx,
      `SELECT l.id, now() AS now${columns.map((c) => `, ${c}`).join('')}
         FROM unnest(${ids}::uuid[]) AS l(id)
         LEFT JOIN activities a ON a.related_entity = 'leads' AND a.related_id = l.id
              AND a.deleted_at IS NULL AND a.occurred_at <= now()
              AND a.occurred_at >= now() - make_interval(days => ${params.add(widest)}::int)
        GROUP BY l.id`,
      params.values,
    );
    const counts = new Map<string, Map<string, number>>();
    for (const row of rows)
      counts.set(row.id, new Map(signals.map((r, i) => [r.key, Number(row[`c${i}`])])));
    return { now: rows[0].now, counts };
  }

  private async now(ctx: RequestContext): Promise<Date> {
    const [row] = await this.db.query<{ now: Date }>(ctx, `SELECT now() AS now`);
    return row.now;
  }

  /**
   * Stores a new score with its history row. The score is computed, not edited: it moves
   * neither the lead's version nor its updatedAt, so a recalculation never makes a client's
   * If-Match stale.
   */
  async saveScore(
    tx: RequestContext,
    leadId: string,
    score: number,
    previousScore: number,
    rules: MatchedRule[],
    reason: ScoreReason,
  ): Promise<void> {
    await this.db.query(tx, `UPDATE leads SET score = $2 WHERE id = $1`, [leadId, score]);
    await this.db.query(
      tx,
      `INSERT INTO lead_score_history (id, lead_id, score, previous_score, rules, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [uuidv7(), leadId, score, previousScore, JSON.stringify(rules), reason],
    );
  }

  /** Newest first, keyset-paginated by (at, id). */
  async history(
    ctx: RequestContext,
    leadId: string,
    limit: number,
    cursor: string | null,
  ): Promise<{ data: ScoreHistoryRow[]; nextCursor: string | null }> {
    const params: unknown[] = [leadId];
    let before = '';
    if (cursor) {
      params.push(...decodeHistoryCursor(cursor));
      before = 'AND (at, id) < ($2::timestamptz, $3::uuid)';
    }
    const rows = await this.db.query<{
      id: string;
      score: number;
      previous_score: number;
      rules: MatchedRule[];
      reason: ScoreReason;
      at: Date;
      at_text: string;
    }>(
      ctx,
      `SELECT id, score, previous_score, rules, reason, at, at::text AS at_text
         FROM lead_score_history WHERE lead_id = $1 ${before}
        ORDER BY at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        id: r.id,
        score: r.score,
        previousScore: r.previous_score,
        rules: r.rules,
        reason: r.reason,
        at: r.at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeHistoryCursor(last.at_text, last.id) : null,
    };
  }
}
