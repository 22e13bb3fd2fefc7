/** Where a case stands, from arrival to closing. */
export const CASE_STATUSES = [
  'new',
  'open',
  'pending_customer',
  'on_hold',
  'resolved',
  'closed',
  'reopened',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_CHANNELS = ['phone', 'email', 'web', 'portal', 'chat', 'walk_in'] as const;
export const CASE_TYPES = ['question', 'problem', 'complaint', 'request'] as const;

const WORKING: readonly CaseStatus[] = ['open', 'pending_customer', 'on_hold', 'resolved'];

/**
 * The moves a status change may make: work goes between open, waiting for the customer and
 * on hold until it is resolved; a resolved case is closed for good or reopened.
 */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  new: WORKING,
  open: ['pending_customer', 'on_hold', 'resolved'],
  pending_customer: ['open', 'on_hold', 'resolved'],
  on_hold: ['open', 'pending_customer', 'resolved'],
  resolved: ['closed', 'reopened'],
  closed: [],
  reopened: WORKING,
};

export function allowedNext(from: CaseStatus): readonly CaseStatus[] {
  return NEXT[from];
}

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses in which the case needs no more work. */
export function isDone(status: CaseStatus): boolean {
  return status === 'resolved' || status === 'closed';
}

export const PRIORITY_RANK = { low: 1, normal: 2, high: 3, urgent: 4 } as const;
