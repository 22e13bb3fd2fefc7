import { declareEvent } from '#platform/events/index.js';

/**
 * `activity.due`: a planned activity's reminder time came (sent once per reminder time), with
 * what a notification needs to say what is due and to whom.
 */
export interface ActivityDuePayload {
  type: string;
  subject: string;
  dueAt: string | null;
  startsAt: string | null;
  reminderAt: string;
  ownerId: string;
  teamId: string | null;
  participantUserIds: string[];
  relatedEntity: string | null;
  relatedId: string | null;
}

export const ACTIVITY_DUE = declareEvent<ActivityDuePayload>('activity.due', 'activities');
