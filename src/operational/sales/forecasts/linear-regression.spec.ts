import { Money } from '#platform/currency/money-math.js';
import { fitLine, predict } from './linear-regression.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

const money = (...values: (number | string)[]) => values.map((v) => new Money(v));

describe('studentTQuantile', () => {
  it('matches the exact quantiles for 1 and 2 degrees of freedom', () => {
    // df 1 is the Cauchy distribution: tan(π (p − ½)); df 2: (2p − 1) √(2 / (1 − (2p − 1)²)).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 8);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 * Math.sqrt(2 / (1 - 0.95 ** 2)), 8);
  });

  it('matches published two-sided 95 % values', () => {
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.182446, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 5);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962339, 5);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015048, 5);
  });

  it('is symmetric and inverts the distribution function', () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
    expect(studentTQuantile(0.5, 4)).toBeCloseTo(0, 10);
    expect(studentTCdf(studentTQuantile(0.9, 12), 12)).toBeCloseTo(0.9, 10);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('fitLine', () => {
  it('fits y = 2, 4, 5, 4, 5 as worked by hand', () => {
    // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → slope 0.6, intercept 2.2; SSE 2.4, SST 6 → R² 0.6.
    const fit = fitLine(money(2, 4, 5, 4, 5));
    expect(fit.slope.toString()).toBe('0.6');
    expect(fit.intercept.toString()).toBe('2.2');
    expect(fit.rSquared!.toString()).toBe('0.6');
    expect(fit.fitted.map(String)).toEqual(['2.8', '3.4', '4', '4.6', '5.2']);
    expect(fit.degreesOfFreedom).toBe(3);
    // s = √(2.4 / 3) = √0.8
    expect(fit.standardError.toNumber()).toBeCloseTo(0.894427191, 9);
  });

  it('gives the next period with its 95 % prediction interval', () => {
    const fit = fitLine(money(2, 4, 5, 4, 5));
    // x = 6: ŷ = 2.2 + 0.6 · 6 = 5.8; half width = t(0.975, 3) · √0.8 · √(1 + 1/5 + 9/10)
    const p = predict(fit, 6);
    const half = 3.182446305 * Math.sqrt(0.8) * Math.sqrt(2.1);
    expect(p.value.toString()).toBe('5.8');
    expect(p.lower.toNumber()).toBeCloseTo(5.8 - half, 6);
    expect(p.upper.toNumber()).toBeCloseTo(5.8 + half, 6);
    expect(half).toBeCloseTo(4.1249, 4);
  });

  it('is exact on a perfect line: R² 1 and an interval of zero width', () => {
    const fit = fitLine(money('1000000.50', '2000000.50', '3000000.50', '4000000.50'));
    expect(fit.slope.toString()).toBe('1000000');
    expect(fit.intercept.toString()).toBe('0.5');
    expect(fit.rSquared!.toString()).toBe('1');
    const p = predict(fit, 5);
    expect(p.value.toString()).toBe('5000000.5');
    expect(p.lower.toString()).toBe('5000000.5');
    expect(p.upper.toString()).toBe('5000000.5');
  });

  it('keeps cents exact where floating point would not', () => {
    const fit = fitLine(money('0.1', '0.2', '0.3'));
    expect(fit.slope.toString()).toBe('0.1');
    expect(fit.intercept.toString()).toBe('0');
    expect(predict(fit, 4).value.toString()).toBe('0.4');
  });

  it('has no R² when every period is the same, and needs three points', () => {
    const flat = fitLine(money(7, 7, 7));
    expect(flat.slope.isZero()).toBe(true);
    expect(flat.rSquared).toBeNull();
    expect(() => fitLine(money(1, 2))).toThrow(RangeError);
  });
});
