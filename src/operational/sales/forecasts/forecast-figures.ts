import { Money, roundMoney } from '#platform/currency/index.js';
import type { ForecastFiguresDto } from './dto/forecast.dto.js';

/** One GROUP BY row of the weighted forecast: a period, a group and a bucket. */
export interface FigureRow {
  start: string;
  grp: string | null;
  /** A forecast category for open opportunities, `won` for won ones. */
  bucket: string;
  n: number;
  unconverted: number;
  amount: string | null;
  weighted: string | null;
}

const OPEN_BUCKETS = {
  commit: 'commit',
  bestCase: 'best_case',
  pipeline: 'pipeline',
  omitted: 'omitted',
} as const;
type OpenKey = keyof typeof OPEN_BUCKETS;

interface Sum {
  count: number;
  amount: Money;
  weighted: Money;
}

const zero = (): Sum => ({ count: 0, amount: new Money(0), weighted: new Money(0) });

/**
 * Adds up GROUP BY rows into one slice's figures. Sums stay exact until the end, where each
 * figure is rounded once to the currency's minor unit, so totals are computed from exact
 * amounts rather than from rounded ones.
 */
export class ForecastFigures {
  private readonly open: Record<OpenKey, Sum> = {
    commit: zero(),
    bestCase: zero(),
    pipeline: zero(),
    omitted: zero(),
  };
  private readonly won = zero();
  private unconverted = 0;

  add(row: FigureRow): this {
    const key = (Object.keys(OPEN_BUCKETS) as OpenKey[]).find(
      (k) => OPEN_BUCKETS[k] === row.bucket,
    );
    const sum = row.bucket === 'won' ? this.won : key ? this.open[key] : null;
    this.unconverted += row.unconverted;
    if (!sum) return this;
    sum.count += row.n;
    sum.amount = sum.amount.add(row.amount ?? 0);
    sum.weighted = sum.weighted.add(row.weighted ?? 0);
    return this;
  }

  toDto(currency: string): ForecastFiguresDto {
    const { commit, bestCase, pipeline, omitted } = this.open;
    const money = (v: Money) => roundMoney(v, currency);
    const category = (s: Sum) => ({
      count: s.count,
      amount: money(s.amount),
      weighted: money(s.weighted),
    });
    const committed = this.won.amount.add(commit.amount);
    return {
      commit: category(commit),
      bestCase: category(bestCase),
      pipeline: category(pipeline),
      omitted: category(omitted),
      closedWon: { count: this.won.count, amount: money(this.won.amount) },
      totals: {
        commit: money(committed),
        bestCase: money(committed.add(bestCase.amount)),
        openPipeline: money(commit.amount.add(bestCase.amount).add(pipeline.amount)),
        weighted: money(
          this.won.amount.add(commit.weighted).add(bestCase.weighted).add(pipeline.weighted),
        ),
      },
      unconverted: this.unconverted,
    };
  }
}
