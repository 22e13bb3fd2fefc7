import type { ApiRecord } from '#platform/records/index.js';

/** A calendar day plus `days`. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** What every quote event says about its quote. */
export function quoteEventBase(q: ApiRecord) {
  return {
    quoteId: q.id,
    number: q.number as string,
    revision: q.revision as number,
    opportunityId: (q.opportunityId as string | null) ?? null,
    accountId: q.accountId as string,
    ownerId: q.ownerId,
    teamId: q.teamId,
    grandTotal: q.grandTotal as { amount: string; currency: string },
  };
}
