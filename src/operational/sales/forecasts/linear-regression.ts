import { Money } from '#platform/currency/index.js';
import { studentTQuantile } from './student-t.js';

/** Fewer points leave no degree of freedom for the error, so no interval. */
export const MIN_POINTS = 3;

export interface LineFit {
  /** Points fitted; x runs 1..n. */
  n: number;
  slope: Money;
  intercept: Money;
  /** Share of the variance the line explains; null when every y is the same (nothing to explain). */
  rSquared: Money | null;
  /** Residual standard error, √(SSE / (n − 2)). */
  standardError: Money;
  degreesOfFreedom: number;
  fitted: Money[];
  /** Σ(x − x̄)², kept for intervals. */
  sxx: Money;
}

export interface Prediction {
  x: number;
  value: Money;
  lower: Money;
  upper: Money;
}

/**
 * Ordinary least squares of y over x = 1, 2, …, n, in decimal arithmetic (the y are money).
 * Throws for fewer than MIN_POINTS points: callers explain that to the user first.
 */
export function fitLine(ys: readonly Money[]): LineFit {
  const n = ys.length;
  if (n < MIN_POINTS) throw new RangeError(`a line needs at least ${MIN_POINTS} points`);
  const meanX = new Money(n + 1).div(2);
  const meanY = ys.reduce((s, y) => s.add(y), new Money(0)).div(n);
  let sxx = new Money(0);
  let sxy = new Money(0);
  let sst = new Money(0);
  ys.forEach((y, i) => {
    const dx = new Money(i + 1).sub(meanX);
    const dy = y.sub(meanY);
    sxx = sxx.add(dx.mul(dx));
    sxy = sxy.add(dx.mul(dy));
    sst = sst.add(dy.mul(dy));
  });
  const slope = sxy.div(sxx);
  const intercept = meanY.sub(slope.mul(meanX));
  const fitted = ys.map((_, i) => intercept.add(slope.mul(i + 1)));
  const sse = ys.reduce((s, y, i) => s.add(y.sub(fitted[i]).pow(2)), new Money(0));
  const degreesOfFreedom = n - 2;
  return {
    n,
    slope,
    intercept,
    rSquared: sst.isZero() ? null : new Money(1).sub(sse.div(sst)),
    standardError: sse.div(degreesOfFreedom).sqrt(),
    degreesOfFreedom,
    fitted,
    sxx,
  };
}

/**
 * The line's value at x with its prediction interval: where a single future period's amount
 * falls with the given probability, ŷ ± t · s · √(1 + 1/n + (x − x̄)² / Sxx). Wider than a
 * confidence interval of the mean, as a forecast of one period should be.
 */
export function predict(fit: LineFit, x: number, confidence = 0.95): Prediction {
  const value = fit.intercept.add(fit.slope.mul(x));
  const t = new Money(studentTQuantile(1 - (1 - confidence) / 2, fit.degreesOfFreedom));
  const dx = new Money(x).sub(new Money(fit.n + 1).div(2));
  const spread = new Money(1).add(new Money(1).div(fit.n)).add(dx.mul(dx).div(fit.sxx)).sqrt();
  const half = t.mul(fit.standardError).mul(spread);
  return { x, value, lower: value.sub(half), upper: value.add(half) };
}
