/** The way a member goes, in order; a member may skip steps but not go back. */
export const MEMBER_FUNNEL = [
  'targeted',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'responded',
  'converted',
] as const;
/** Ends a member can reach from anywhere short of converting. */
export const MEMBER_EXITS = ['unsubscribed', 'bounced'] as const;
export const MEMBER_STATUSES = [...MEMBER_FUNNEL, ...MEMBER_EXITS] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

const rank = (s: MemberStatus) => (MEMBER_FUNNEL as readonly string[]).indexOf(s);

/** Whether a member in `from` may move to `to`. */
export function canMoveMember(from: MemberStatus, to: MemberStatus): boolean {
  if (from === to) return false;
  if (rank(from) < 0 || from === 'converted') return false;
  if (rank(to) < 0) return true;
  return rank(to) > rank(from);
}
