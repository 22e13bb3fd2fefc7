import { declareEvent } from '#platform/events/event-declaration.js';

/** `lead.assigned`: a lead got an owner other than the person acting (rules or by hand). */
export interface LeadAssignedPayload {
  ownerId: unknown;
  teamId: unknown;
  previousOwnerId: string | null;
  assignmentRule: unknown;
  assignedVia: unknown;
}

/** `lead.score_changed`: the lead's score moved; `rules` are the rules that gave it. */
export interface LeadScoreChangedPayload {
  score: number;
  previousScore: number;
  reason: string;
  rules: unknown[];
  ownerId: unknown;
  teamId: unknown;
}

export const LEAD_ASSIGNED = declareEvent<LeadAssignedPayload>('lead.assigned', 'leads');
export const LEAD_SCORE_CHANGED = declareEvent<LeadScoreChangedPayload>(
  'lead.score_changed',
  'leads',
);
