import { frozenDiscount } from './quote-order-lines.js';
import { lineTotal } from '#operational/sales/index.js';

describe('frozenDiscount', () => {
  it('keeps a plain line discount as it is', () => {
    expect(frozenDiscount('3', '1000000', '2700000', 'IDR')).toBe('10');
  });

  it('folds a header discount share into the line discount', () => {
    // 10% line then 5% header: 3 × 1,000,000 → 2,700,000 → 2,565,000.
    expect(frozenDiscount('3', '1000000', '2565000', 'IDR')).toBe('14.5');
  });

  it('gives back the quoted net when the ratio does not terminate', () => {
    const d = frozenDiscount('7', '333.33', '2217.77', 'USD');
    expect(lineTotal('7', '333.33', d, 'USD')).toBe('2217.77');
    expect(d.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(30);
  });

  it('stays within 0 and 100', () => {
    expect(frozenDiscount('3', '0.333', '1', 'IDR')).toBe('0');
    expect(frozenDiscount('1', '100', '0', 'USD')).toBe('100');
    expect(frozenDiscount('1', '0', '0', 'USD')).toBe('0');
  });
});
