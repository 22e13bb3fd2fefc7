import { declareEvent } from '#platform/events/index.js';

/** Where an opportunity stands in its pipeline. */
export interface StagePosition {
  pipeline: unknown;
  stage: unknown;
  status: unknown;
}

/**
 * `opportunity.stage_changed`: the opportunity moved to another stage or pipeline, with how
 * long it stayed in the one it left and what it is worth now.
 */
export interface OpportunityStageChangedPayload {
  from: StagePosition;
  to: StagePosition;
  /** Null when the stay it left was not recorded. */
  secondsInPreviousStage: number | null;
  probability: unknown;
  amount: unknown;
  ownerId: string;
  teamId: string | null;
  accountId: unknown;
}

export const OPPORTUNITY_STAGE_CHANGED = declareEvent<OpportunityStageChangedPayload>(
  'opportunity.stage_changed',
  'opportunities',
);
