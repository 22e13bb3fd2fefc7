import type { ScoreReason } from '../lead-scoring/lead-score-store.js';
import type { MatchedRule } from '../lead-scoring/lead-scorer.js';
import type { AssignedVia } from './lead.definition.js';
import { declareEvent } from '#platform/events/index.js';

/** `lead.assigned`: a lead got an owner other than the person acting (rules or by hand). */
export interface LeadAssignedPayload {
  ownerId: string;
  teamId: string | null;
  /** Null for a new lead. */
  previousOwnerId: string | null;
  /** The rule whose conditions held, also when its strategy found nobody. */
  assignmentRule: string | null;
  assignedVia: AssignedVia;
}

/** `lead.score_changed`: the lead's score moved; `rules` are the rules that gave it. */
export interface LeadScoreChangedPayload {
  score: number;
  previousScore: number;
  reason: ScoreReason;
  rules: MatchedRule[];
  ownerId: string;
  teamId: string | null;
}

/**
 * `lead.converted`: the lead became an account, a contact and perhaps an opportunity;
 * `created` says which of them the conversion made rather than linked.
 */
export interface LeadConvertedPayload {
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  created: { account: boolean; contact: boolean; opportunity: boolean };
  ownerId: string;
}

export const LEAD_ASSIGNED = declareEvent<LeadAssignedPayload>('lead.assigned', 'leads');
export const LEAD_SCORE_CHANGED = declareEvent<LeadScoreChangedPayload>(
  'lead.score_changed',
  'leads',
);
export const LEAD_CONVERTED = declareEvent<LeadConvertedPayload>('lead.converted', 'leads');
