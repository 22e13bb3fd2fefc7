import type { ApiRecord } from '#platform/records/index.js';
import type { CaseParties } from '../service.events.js';

/** The parties every case event names. */
export function caseParties(c: ApiRecord): CaseParties {
  return {
    number: c.number as string,
    accountId: (c.accountId as string | null) ?? null,
    contactId: (c.contactId as string | null) ?? null,
    queueId: (c.queueId as string | null) ?? null,
    assigneeId: (c.assigneeId as string | null) ?? null,
    ownerId: c.ownerId,
    teamId: c.teamId,
    priority: c.priority as string,
  };
}
