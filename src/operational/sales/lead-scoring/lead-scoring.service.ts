import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { type NewDomainEvent, EventOutbox } from '#platform/events/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { LeadRuleCatalog } from '../lead-rules/lead-rule-catalog.js';
import { OPEN_LEAD_STATUSES } from '../leads/lead.definition.js';
import type { ScoreHistoryEntryDto } from './dto/lead-score.dto.js';
import { scoreLead } from './lead-scorer.js';
import { LeadScoreStore, type ActivityFacts, type ScoreReason } from './lead-score-store.js';
import { LEAD_SCORE_CHANGED } from '../leads/leads.events.js';

/** New scores by lead id, and the `lead.score_changed` events of those that moved. */
export interface Rescored {
  scores: Map<string, number>;
  events: NewDomainEvent[];
}

const isOpen = (lead: ApiRecord) =>
  (OPEN_LEAD_STATUSES as readonly string[]).includes(lead.status as string);

/**
 * Keeps leads' scores current with the rules of `leadScoring`: in the transaction of a change
 * to the lead, after a change to its activities, and every night for the rules that time
 * alone moves (inactivity). Only open leads are scored; a converted or unqualified lead keeps
 * the score it closed with. A score that moves gets a history row and a `lead.score_changed`
 * event; one that stays the same leaves no trace. Without rules, scoring is off.
 */
@Injectable()
export class LeadScoringService {
  constructor(
    private readonly catalog: LeadRuleCatalog,
    private readonly store: LeadScoreStore,
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
  ) {}

  get enabled(): boolean {
    return this.catalog.scoringRules.length > 0;
  }

  /**
   * The lead, created or changed in the caller's transaction (and so locked), with its score
   * brought up to date. A lead created just now has no activities yet and has not been idle,
   * so its facts need no query: imports create leads by the million.
   */
  async afterChange(
    tx: RequestContext,
    lead: ApiRecord,
    options: { created?: boolean } = {},
  ): Promise<{ record: ApiRecord; events: NewDomainEvent[] }> {
    if (!this.enabled || !isOpen(lead)) return { record: lead, events: [] };
    const facts: ActivityFacts | undefined = options.created
      ? { now: new Date(lead.createdAt as string), counts: new Map() }
      : undefined;
    const { scores, events } = await this.rescore(tx, [lead], 'change', facts);
    return { record: { ...lead, score: scores.get(lead.id) ?? lead.score }, events };
  }

  /**
   * `afterChange` for many new leads written together (a CSV import batch): they are scored
   * in one pass per creation time, as each would be on its own.
   */
  async afterCreateMany(tx: RequestContext, leads: ApiRecord[]): Promise<Rescored> {
    const scores = new Map<string, number>();
    const events: NewDomainEvent[] = [];
    if (!this.enabled) return { scores, events };
    const byTime = new Map<string, ApiRecord[]>();
    for (const lead of leads.filter(isOpen)) {
      const at = String(lead.createdAt);
      byTime.set(at, [...(byTime.get(at) ?? []), lead]);
    }
    for (const [at, group] of byTime) {
      const facts: ActivityFacts = { now: new Date(at), counts: new Map() };
      const rescored = await this.rescore(tx, group, 'change', facts);
      for (const [id, score] of rescored.scores) scores.set(id, score);
      events.push(...rescored.events);
    }
    return { scores, events };
  }

  /**
   * Scores leads again in a transaction of their own; leads that are gone or closed are
   * skipped. Returns how many were looked at.
   */
  async rescoreLeads(
    ids: readonly string[],
    reason: ScoreReason,
    options: { skipLocked?: boolean } = {},
  ): Promise<number> {
    if (!this.enabled || ids.length === 0) return 0;
    return this.db.transaction(RequestContext.system(), async (tx) => {
      const leads = await this.store.lockOpenLeads(tx, ids, options.skipLocked);
      await this.outbox.append(tx, (await this.rescore(tx, leads, reason)).events);
      return leads.length;
    });
  }

  /** Score changes of a lead, newest first, with the rules' labels in the caller's language. */
  async history(ctx: RequestContext, leadId: string, limit: number, cursor: string | null) {
    const page = await this.store.history(ctx, leadId, limit, cursor);
    const data: ScoreHistoryEntryDto[] = page.data.map((entry) => ({
      ...entry,
      rules: entry.rules.map((r) => ({
        key: r.key,
        label: this.catalog.scoringLabel(r.key, ctx.locale),
        points: r.points,
      })),
    }));
    return { data, meta: { nextCursor: page.nextCursor, limit } };
  }

  /**
   * Locked leads' new scores; writes history for those that moved and gives their events,
   * which the caller appends (the record lifecycle, after the lead's own).
   */
  private async rescore(
    tx: RequestContext,
    leads: readonly ApiRecord[],
    reason: ScoreReason,
    known?: ActivityFacts,
  ): Promise<Rescored> {
    const rules = this.catalog.scoringRules;
    const facts =
      known ??
      (await this.store.activityFacts(
        tx,
        leads.map((l) => l.id),
        rules,
      ));
    const scores = new Map<string, number>();
    const events: NewDomainEvent[] = [];
    for (const lead of leads) {
      const result = scoreLead(
        rules,
        lead as ApiRecord & { createdAt: string },
        facts.counts.get(lead.id) ?? new Map(),
        facts.now,
      );
      scores.set(lead.id, result.score);
      const previous = lead.score as number;
      if (result.score === previous) continue;
      await this.store.saveScore(tx, lead.id, result.score, previous, result.rules, reason);
      events.push(
        LEAD_SCORE_CHANGED.of(lead.id, {
          score: result.score,
          previousScore: previous,
          reason,
          rules: result.rules,
          ownerId: lead.ownerId,
          teamId: lead.teamId,
        }),
      );
    }
    return { scores, events };
  }
}
