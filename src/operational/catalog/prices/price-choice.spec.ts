import fc from 'fast-check';
import {
  applies,
  choosePrice,
  compareCandidates,
  specificity,
  type AccountSegment,
  type PriceCandidate,
} from './price-choice.js';

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
const window = fc
  .tuple(fc.option(day), fc.option(day))
  .map(([a, b]) => (a !== null && b !== null && a > b ? [b, a] : [a, b]));
const criterion = (values: string[]) => fc.option(fc.constantFrom(...values));

const candidate: fc.Arbitrary<PriceCandidate> = fc
  .record({
    book: fc.integer({ min: 0, max: 5 }),
    isStandard: fc.boolean(),
    accountType: criterion(['customer', 'partner']),
    industry: criterion(['retail', 'mining']),
    tier: criterion(['gold', 'silver']),
    bookWindow: window,
    entry: fc.uuid(),
    unitPrice: fc.integer({ min: 0, max: 1_000_000 }).map(String),
    minQuantity: fc.constantFrom('1', '5', '10', '2.5'),
    entryWindow: window,
  })
  .map((r) => ({
    bookId: `00000000-0000-7000-8000-00000000000${r.book}`,
    bookName: `Book ${r.book}`,
    isStandard: r.isStandard,
    accountType: r.isStandard ? null : r.accountType,
    industry: r.isStandard ? null : r.industry,
    tier: r.isStandard ? null : r.tier,
    bookValidFrom: r.bookWindow[0],
    bookValidTo: r.bookWindow[1],
    bookCreatedAt: `2026-01-0${r.book + 1}T00:00:00.000000`,
    entryId: r.entry,
    unitPrice: r.unitPrice,
    minQuantity: r.minQuantity,
    entryValidFrom: r.entryWindow[0],
    entryValidTo: r.entryWindow[1],
  }));

const segment: fc.Arbitrary<AccountSegment | null> = fc.option(
  fc.record({
    accountType: fc.constantFrom('customer', 'partner'),
    industry: fc.option(fc.constantFrom('retail', 'mining')),
    tier: fc.option(fc.constantFrom('gold', 'silver')),
  }),
);

describe('choosePrice', () => {
  const input = fc.tuple(
    fc.array(candidate, { maxLength: 12 }),
    day,
    fc.constantFrom('1', '5', '10', '3'),
    segment,
  );

  it('picks an applicable candidate that no other applicable one outranks', () => {
    fc.assert(
      fc.property(input, ([candidates, on, quantity, account]) => {
        const choice = choosePrice(candidates, on, quantity, account);
        const applicable = candidates.filter((c) => applies(c, on, quantity, account));
        if (applicable.length === 0) return choice === null;
        if (!choice || !applies(choice.candidate, on, quantity, account)) return false;
        return applicable.every((c) => compareCandidates(choice.candidate, c) <= 0);
      }),
    );
  });

  it('takes the standard book only when no other applicable book prices the product', () => {
    fc.assert(
      fc.property(input, ([candidates, on, quantity, account]) => {
        const choice = choosePrice(candidates, on, quantity, account);
        if (choice?.rule !== 'standard') return true;
        return !candidates.some((c) => !c.isStandard && applies(c, on, quantity, account));
      }),
    );
  });

  it('never picks a book less specific than another applicable non-standard one', () => {
    fc.assert(
      fc.property(input, ([candidates, on, quantity, account]) => {
        const choice = choosePrice(candidates, on, quantity, account);
        if (!choice || choice.rule === 'standard') return true;
        return candidates
          .filter((c) => !c.isStandard && applies(c, on, quantity, account))
          .every((c) => specificity(c) <= specificity(choice.candidate));
      }),
    );
  });

  it('does not depend on the order candidates come in', () => {
    fc.assert(
      fc.property(input, fc.func(fc.integer()), ([candidates, on, quantity, account], key) => {
        const shuffled = [...candidates].sort((a, b) => key(a.entryId) - key(b.entryId));
        return (
          choosePrice(candidates, on, quantity, account)?.candidate.entryId ===
          choosePrice(shuffled, on, quantity, account)?.candidate.entryId
        );
      }),
    );
  });

  it('gives a book for one segment only to accounts of that segment', () => {
    const book = {
      bookId: 'b',
      bookName: 'Gold',
      isStandard: false,
      accountType: null,
      industry: null,
      tier: 'gold',
      bookValidFrom: null,
      bookValidTo: null,
      bookCreatedAt: '2026-01-01',
      entryId: 'e',
      unitPrice: '1',
      minQuantity: '1',
      entryValidFrom: null,
      entryValidTo: null,
    };
    expect(choosePrice([book], '2026-03-01', '1', null)).toBeNull();
    expect(
      choosePrice([book], '2026-03-01', '1', {
        accountType: 'customer',
        industry: null,
        tier: 'gold',
      })?.rule,
    ).toBe('segment');
  });
});
