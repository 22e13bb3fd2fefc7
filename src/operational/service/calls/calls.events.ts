import { declareEvent } from '#platform/events/index.js';

/** `call.logged`: a call was recorded, with the contact it matched and how it ended. */
export interface CallLoggedPayload {
  direction: string;
  customerNumber: string;
  contactId: string | null;
  agentId: string;
  queueId: string | null;
  caseId: string | null;
  startedAt: string;
  outcome: string;
  ownerId: string;
  teamId: string | null;
}

/** `call.callback_scheduled`: a caller asked to be called back; a task is due for the agent. */
export interface CallCallbackScheduledPayload {
  activityId: string;
  agentId: string;
  customerNumber: string;
  contactId: string | null;
  dueAt: string;
}

export const CALL_LOGGED = declareEvent<CallLoggedPayload>('call.logged', 'calls');
export const CALL_CALLBACK_SCHEDULED = declareEvent<CallCallbackScheduledPayload>(
  'call.callback_scheduled',
  'calls',
);
