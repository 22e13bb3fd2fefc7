import { Injectable, Logger } from '@nestjs/common';
import type { LeadAssignmentRuleConfig } from '../lead-rules/lead-rules.config.js';
import type { RequestContext } from '#platform/context/index.js';
import { allConditionsHold } from '#platform/records/index.js';
import { LeadRuleCatalog } from '../lead-rules/lead-rule-catalog.js';
import type { AssignedVia } from '../leads/lead.definition.js';
import { LeadAssignmentPool } from './lead-assignment-pool.js';

/** Who a lead goes to, and how that was decided: stored on the lead as it is. */
export type LeadAssignment = {
  ownerId: string;
  teamId: string | null;
  /** Key of the rule whose conditions held, also when it could not place the lead. */
  assignmentRule: string | null;
  assignedVia: AssignedVia;
};

/** Who takes a lead no rule can place when the team has no default owner either. */
export interface AssignmentFallback {
  userId: string;
  /** The team the lead belongs to when no rule gives it one (the creator's team). */
  teamId: string | null;
}

/**
 * Chooses a lead's owner by `leadAssignment.rules`: the first rule whose conditions hold
 * places it with its strategy — a fixed user, turns among the team's available members
 * (round robin), or the member with the fewest open leads (ties take turns). A rule that
 * finds nobody (user inactive, team empty or gone), and a lead no rule matches, go to the
 * default owner of the team (the rule's, else the fallback team), and without one to the
 * fallback user. A lead is never left without an owner.
 */
@Injectable()
export class LeadAssigner {
  private readonly logger = new Logger('LeadAssignment');

  constructor(
    private readonly catalog: LeadRuleCatalog,
    private readonly pool: LeadAssignmentPool,
  ) {}

  /** `lead` in API form, as it is (or will be) stored; runs in the caller's transaction. */
  async assign(
    tx: RequestContext,
    lead: Readonly<Record<string, unknown>>,
    fallback: AssignmentFallback,
  ): Promise<LeadAssignment> {
    const rule = this.catalog.assignmentRules.find((r) => allConditionsHold(lead, r.when));
    if (rule) {
      const ownerId = await this.ownerByRule(tx, rule);
      if (ownerId)
        return {
          ownerId,
          teamId: rule.teamId ?? fallback.teamId,
          assignmentRule: rule.key,
          assignedVia: 'rule',
        };
      this.logger.warn(
        `assignment rule ${rule.key} found nobody available; the lead goes to the fallback`,
      );
    }
    const teamId = rule?.teamId ?? fallback.teamId;
    const defaultOwner = teamId ? await this.pool.defaultOwner(tx, teamId) : null;
    const assignmentRule = rule?.key ?? null;
    if (defaultOwner)
      return { ownerId: defaultOwner, teamId, assignmentRule, assignedVia: 'default_owner' };
    return {
      ownerId: fallback.userId,
      teamId: fallback.teamId,
      assignmentRule,
      assignedVia: 'creator',
    };
  }

  /** Whether a user may still be given leads (active and not deleted). */
  canOwn(tx: RequestContext, userId: string): Promise<boolean> {
    return this.pool.isActiveUser(tx, userId);
  }

  /** The owner the rule's strategy picks, or null when it finds nobody available. */
  private async ownerByRule(
    tx: RequestContext,
    rule: LeadAssignmentRuleConfig,
  ): Promise<string | null> {
    if (rule.strategy === 'user') {
      const teamOk = !rule.teamId || (await this.pool.isLiveTeam(tx, rule.teamId));
      return teamOk && (await this.pool.isActiveUser(tx, rule.userId!)) ? rule.userId! : null;
    }
    const teamId = rule.teamId!;
    // The turn is locked before anyone is counted, so the count includes the lead that the
    // assignment before this one (on any process) just gave out.
    const turn = await this.pool.lockTurn(tx, teamId);
    let candidates = turn ? await this.pool.availableMembers(tx, teamId) : [];
    if (!turn || candidates.length === 0) return null;
    if (rule.strategy === 'leastLoaded') {
      const counts = await this.pool.openLeadCounts(tx, candidates);
      const least = Math.min(...candidates.map((id) => counts.get(id) ?? 0));
      candidates = candidates.filter((id) => (counts.get(id) ?? 0) === least);
    }
    const next = nextInTurn(candidates, turn.last);
    await this.pool.saveTurn(tx, teamId, next);
    return next;
  }
}

/** The first candidate after the last one served, going round; candidates are in id order. */
export function nextInTurn(candidates: readonly string[], last: string | null): string {
  return candidates.find((id) => last === null || id > last) ?? candidates[0];
}
