import { Money } from '#platform/currency/index.js';
import { withinWindow } from '../catalog-rules.js';
import type { PriceRule } from '../dto/price.dto.js';

/** The segment an account falls in, as price book criteria see it. */
export interface AccountSegment {
  accountType: string | null;
  industry: string | null;
  tier: string | null;
}

/** One entry of an active book in the asked currency: what the choice picks from. */
export interface PriceCandidate {
  bookId: string;
  bookName: string;
  isStandard: boolean;
  accountType: string | null;
  industry: string | null;
  tier: string | null;
  bookValidFrom: string | null;
  bookValidTo: string | null;
  bookCreatedAt: string;
  entryId: string;
  unitPrice: string;
  minQuantity: string;
  entryValidFrom: string | null;
  entryValidTo: string | null;
}

export interface PriceChoice {
  candidate: PriceCandidate;
  rule: PriceRule;
}

const CRITERIA = ['accountType', 'industry', 'tier'] as const;

/** How many criteria a book sets: the more, the more specific. */
export function specificity(c: PriceCandidate): number {
  return CRITERIA.filter((k) => c[k] !== null).length;
}

/** Whether a book's criteria all hold for the account (none hold without an account). */
export function matchesSegment(c: PriceCandidate, segment: AccountSegment | null): boolean {
  if (c.isStandard) return true;
  return CRITERIA.every((k) => c[k] === null || (segment !== null && c[k] === segment[k]));
}

/** Whether the candidate prices this day and quantity for this account. */
export function applies(
  c: PriceCandidate,
  day: string,
  quantity: string,
  segment: AccountSegment | null,
): boolean {
  return (
    withinWindow(day, c.bookValidFrom, c.bookValidTo) &&
    withinWindow(day, c.entryValidFrom, c.entryValidTo) &&
    new Money(c.minQuantity).lte(quantity) &&
    matchesSegment(c, segment)
  );
}

const laterFirst = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a > b ? -1 : 1;
const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks applicable candidates: any book for the account before the standard one; among
 * those, the book setting the most criteria, then the one valid from the latest day, then
 * the oldest book (a stable tie-break); inside the book, the highest volume tier reached,
 * then the entry valid from the latest day.
 */
export function compareCandidates(a: PriceCandidate, b: PriceCandidate): number {
  return (
    Number(a.isStandard) - Number(b.isStandard) ||
    specificity(b) - specificity(a) ||
    laterFirst(a.bookValidFrom, b.bookValidFrom) ||
    ascending(a.bookCreatedAt, b.bookCreatedAt) ||
    ascending(a.bookId, b.bookId) ||
    new Money(b.minQuantity).comparedTo(a.minQuantity) ||
    laterFirst(a.entryValidFrom, b.entryValidFrom) ||
    ascending(a.entryId, b.entryId)
  );
}

/** The price that holds, or null when no active book of the currency prices it. */
export function choosePrice(
  candidates: readonly PriceCandidate[],
  day: string,
  quantity: string,
  segment: AccountSegment | null,
): PriceChoice | null {
  const best = candidates
    .filter((c) => applies(c, day, quantity, segment))
    .sort(compareCandidates)[0];
  if (!best) return null;
  const rule: PriceRule = best.isStandard
    ? 'standard'
    : specificity(best) > 0
      ? 'segment'
      : 'all-accounts';
  return { candidate: best, rule };
}

/** Why the price holds, in words a sales rep can check. */
export function explain(choice: PriceChoice): string {
  const c = choice.candidate;
  const criteria = [
    c.accountType && `of type ${c.accountType}`,
    c.industry && `in ${c.industry}`,
    c.tier && `of tier ${c.tier}`,
  ].filter(Boolean);
  const who =
    choice.rule === 'standard'
      ? 'the standard book of its currency'
      : choice.rule === 'segment'
        ? `for accounts ${criteria.join(', ')}`
        : 'for every account';
  const tier = new Money(c.minQuantity).gt(1) ? `, from a quantity of ${c.minQuantity}` : '';
  return `Price book "${c.bookName}", ${who}${tier}`;
}
