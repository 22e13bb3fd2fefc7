import type { LeadScoringRuleConfig } from '../lead-rules/lead-rules.config.js';
import { allConditionsHold } from '#platform/records/index.js';

const DAY_MS = 86_400_000;

/** A rule that contributed to a score, with what it contributed. */
export interface MatchedRule {
  key: string;
  points: number;
}

export interface LeadScore {
  score: number;
  /** In the order of the config; rules that contributed nothing are left out. */
  rules: MatchedRule[];
}

/** What the scorer needs to know of a lead: its fields in API form and when it was created. */
export interface ScoredLead extends Readonly<Record<string, unknown>> {
  createdAt: string | Date;
}

/**
 * A lead's score: the sum of the points of every rule that holds. A field rule holds when all
 * its conditions do. An activity rule reads `activityCounts` — for each activity rule, how
 * many of the lead's activities it counts within its window — and gives its points once when
 * there is one, per occurrence up to its cap, or (for `none`) when there is none and the lead
 * is old enough to have been idle that long: a lead created yesterday is not "inactive for 60
 * days". Pure: the caller counts activities and says what time it is.
 */
export function scoreLead(
  rules: readonly LeadScoringRuleConfig[],
  lead: ScoredLead,
  activityCounts: ReadonlyMap<string, number>,
  now: Date,
): LeadScore {
  const matched: MatchedRule[] = [];
  for (const rule of rules) {
    const times = timesRuleCounts(rule, lead, activityCounts.get(rule.key) ?? 0, now);
    if (times > 0) matched.push({ key: rule.key, points: rule.points * times });
  }
  return { score: matched.reduce((sum, r) => sum + r.points, 0), rules: matched };
}

/** How many times a rule's points count for the lead: 0 when it does not hold. */
function timesRuleCounts(
  rule: LeadScoringRuleConfig,
  lead: ScoredLead,
  count: number,
  now: Date,
): number {
  const signal = rule.activity;
  if (!signal) return allConditionsHold(lead, rule.when) ? 1 : 0;
  if (signal.none) {
    const age = now.getTime() - new Date(lead.createdAt).getTime();
    return count === 0 && age >= signal.within * DAY_MS ? 1 : 0;
  }
  if (signal.per === 'occurrence') return Math.min(count, signal.cap ?? count);
  return count > 0 ? 1 : 0;
}
