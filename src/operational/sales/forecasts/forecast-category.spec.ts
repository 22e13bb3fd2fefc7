import { forecastCategoryOf, type CategoryInput } from './forecast-category.js';

const thresholds = { commitProbability: 90, bestCaseProbability: 50 };
const open = (fields: Partial<CategoryInput> = {}): CategoryInput => ({
  kind: 'open',
  stageCategory: null,
  probability: 10,
  override: null,
  ...fields,
});

describe('forecastCategoryOf', () => {
  it('places open opportunities by probability at the configured thresholds', () => {
    expect(forecastCategoryOf(open({ probability: 0 }), thresholds)).toBe('pipeline');
    expect(forecastCategoryOf(open({ probability: 49 }), thresholds)).toBe('pipeline');
    expect(forecastCategoryOf(open({ probability: 50 }), thresholds)).toBe('best_case');
    expect(forecastCategoryOf(open({ probability: 89 }), thresholds)).toBe('best_case');
    expect(forecastCategoryOf(open({ probability: 90 }), thresholds)).toBe('commit');
    expect(
      forecastCategoryOf(open({ probability: 70 }), {
        commitProbability: 70,
        bestCaseProbability: 70,
      }),
    ).toBe('commit');
  });

  it("lets the stage's category win over the probability, and the owner's override over both", () => {
    expect(
      forecastCategoryOf(open({ probability: 95, stageCategory: 'omitted' }), thresholds),
    ).toBe('omitted');
    expect(
      forecastCategoryOf(open({ stageCategory: 'omitted', override: 'commit' }), thresholds),
    ).toBe('commit');
  });

  it('makes won opportunities closed and lost ones omitted, overrides notwithstanding', () => {
    expect(forecastCategoryOf(open({ kind: 'won', override: 'pipeline' }), thresholds)).toBe(
      'closed',
    );
    expect(
      forecastCategoryOf(open({ kind: 'lost', probability: 95, override: 'commit' }), thresholds),
    ).toBe('omitted');
  });
});
