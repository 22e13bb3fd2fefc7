import { declareEvent } from '#platform/events/index.js';

/** `case.csat_answered`: a customer scored how their case was handled. */
export interface CsatAnsweredPayload {
  surveyId: string;
  contactId: string;
  agentId: string | null;
  queueId: string | null;
  score: number;
}

export const CSAT_ANSWERED = declareEvent<CsatAnsweredPayload>('case.csat_answered', 'cases');
