import { declareEvent } from '#platform/events/index.js';

/** `automation.run_started`: a contact entered an automation. */
export interface AutomationRunPayload {
  automationId: string;
  runId: string;
  contactId: string;
  eventType: string;
}

/** `automation.run_finished`: a run reached its end (completed) or a step failed. */
export type AutomationRunFinishedPayload = AutomationRunPayload & {
  status: 'completed' | 'failed';
};

export const AUTOMATION_RUN_STARTED = declareEvent<AutomationRunPayload>(
  'automation.run_started',
  'automations',
);
export const AUTOMATION_RUN_FINISHED = declareEvent<AutomationRunFinishedPayload>(
  'automation.run_finished',
  'automations',
);
