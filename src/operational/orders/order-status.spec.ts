import fc from 'fast-check';
import { acceptsReturns, allowedNext, canMove, ORDER_STATUSES } from './order-status.js';

const status = fc.constantFrom(...ORDER_STATUSES);

describe('order status lifecycle', () => {
  it('walks placed → confirmed → in_fulfilment → shipped → delivered', () => {
    const path = ['placed', 'confirmed', 'in_fulfilment', 'shipped', 'delivered'] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i])).toBe(true);
  });

  it('cancels only before shipping', () => {
    expect(ORDER_STATUSES.filter((s) => canMove(s, 'cancelled'))).toEqual([
      'placed',
      'confirmed',
      'in_fulfilment',
    ]);
  });

  it('never moves backwards, to itself, out of a final status, or to returned by hand', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (canMove(from, to)) {
          expect(to).not.toBe(from);
          expect(to).not.toBe('returned');
          expect(['cancelled', 'returned', 'delivered']).not.toContain(from);
          if (to !== 'cancelled')
            expect(ORDER_STATUSES.indexOf(to)).toBe(ORDER_STATUSES.indexOf(from) + 1);
        }
        expect(canMove(from, to)).toBe(allowedNext(from).includes(to));
      }),
    );
  });

  it('takes returns only once delivered', () => {
    expect(ORDER_STATUSES.filter(acceptsReturns)).toEqual(['delivered']);
  });
});
