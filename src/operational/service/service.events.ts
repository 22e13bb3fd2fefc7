import { declareEvent } from '#platform/events/index.js';
import type { CaseStatus } from './cases/case-status.js';

/** Who a case concerns, in every case event, so subscribers need not read it back. */
export interface CaseParties {
  number: string;
  accountId: string | null;
  contactId: string | null;
  queueId: string | null;
  assigneeId: string | null;
  ownerId: string;
  teamId: string | null;
  priority: string;
}

/** `case.opened`: a new case, from any channel. */
export interface CaseOpenedPayload extends CaseParties {
  subject: string;
  channel: string;
  category: string | null;
}

/** `case.status_changed`. */
export interface CaseStatusChangedPayload extends CaseParties {
  from: CaseStatus;
  to: CaseStatus;
}

/** `case.assigned`: by a queue's strategy, by an agent taking the next case, or by escalation. */
export interface CaseAssignedPayload extends CaseParties {
  previousAssigneeId: string | null;
  reason: 'auto' | 'next' | 'escalation';
}

/** `case.comment_added`: public comments are what the customer sees. */
export interface CaseCommentAddedPayload extends CaseParties {
  commentId: string;
  visibility: 'public' | 'internal';
  authorUserId: string | null;
  authorContactId: string | null;
  source: 'api' | 'email' | 'portal';
}

export type SlaTarget = 'first_response' | 'resolution';

/** `case.sla_at_risk`: a target's due time is within the policy's warning time. */
export interface CaseSlaAtRiskPayload extends CaseParties {
  target: SlaTarget;
  dueAt: string;
  policy: string;
}

/** `case.sla_breached`: a target's due time passed; the policy's escalation ran. */
export interface CaseSlaBreachedPayload extends CaseSlaAtRiskPayload {
  actions: string[];
}

/** `case.escalated`: a policy asked for a notification on a breach. */
export interface CaseEscalatedPayload extends CaseSlaAtRiskPayload {
  actions: string[];
}

export const CASE_OPENED = declareEvent<CaseOpenedPayload>('case.opened', 'cases');
export const CASE_STATUS_CHANGED = declareEvent<CaseStatusChangedPayload>(
  'case.status_changed',
  'cases',
);
export const CASE_ASSIGNED = declareEvent<CaseAssignedPayload>('case.assigned', 'cases');
export const CASE_COMMENT_ADDED = declareEvent<CaseCommentAddedPayload>(
  'case.comment_added',
  'cases',
);
export const CASE_SLA_AT_RISK = declareEvent<CaseSlaAtRiskPayload>('case.sla_at_risk', 'cases');
export const CASE_SLA_BREACHED = declareEvent<CaseSlaBreachedPayload>('case.sla_breached', 'cases');
export const CASE_ESCALATED = declareEvent<CaseEscalatedPayload>('case.escalated', 'cases');
