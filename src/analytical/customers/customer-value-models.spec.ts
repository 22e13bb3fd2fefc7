import { churnRisk, customerLifetimeValue } from './customer-value-models.js';

const SETTINGS = {
  weights: { recency: 40, frequencyTrend: 25, openComplaints: 20, slaBreaches: 15 },
  recencyFullDays: 365,
  complaintsFull: 2,
  slaBreachesFull: 2,
};

describe('customer value models', () => {
  it('values a two-year customer by the retention model', () => {
    // 730 days = 2 years; m = 2,000,000 / 2 = 1,000,000; r = 0.6, d = 0.1:
    // CLV = 1,000,000 × 0.6 / (1 + 0.1 − 0.6) = 600,000 / 0.5 = 1,200,000.
    const { annualMargin, clv } = customerLifetimeValue({
      grossProfit: '2000000',
      firstPurchaseAt: new Date('2024-01-01T00:00:00Z'),
      asOf: new Date('2025-12-31T00:00:00Z'),
      retentionRate: '0.6',
      discountRate: '0.1',
    });
    expect(annualMargin.toFixed(2)).toBe('1000000.00');
    expect(clv.toFixed(2)).toBe('1200000.00');
  });

  it('counts a new customer’s margin as one year', () => {
    // 30 days < 1 year → tenure 1: m = 300; r = 0.5, d = 0: CLV = 300 × 0.5 / 0.5 = 300.
    const { clv } = customerLifetimeValue({
      grossProfit: '300',
      firstPurchaseAt: new Date('2025-01-01T00:00:00Z'),
      asOf: new Date('2025-01-31T00:00:00Z'),
      retentionRate: '0.5',
      discountRate: '0',
    });
    expect(clv.toFixed(2)).toBe('300.00');
  });

  it('scores churn from its four reasons, largest first', () => {
    // recency 182.5/365 = 0.5 × 40 = 20; trend (4 − 1)/4 = 0.75 × 25 = 18.75;
    // complaints 1/2 × 20 = 10; breaches 3/2 capped 1 × 15 = 15. Sum 63.75 → 64, high.
    const risk = churnRisk(
      {
        daysSinceLastPurchase: 182.5,
        recentOrders: 1,
        previousOrders: 4,
        openComplaints: 1,
        slaBreaches: 3,
      },
      SETTINGS,
    );
    expect(risk).toEqual({
      score: 64,
      level: 'high',
      reasons: [
        { code: 'recency', points: 20, value: 182.5 },
        { code: 'frequency_trend', points: 18.75, value: -3 },
        { code: 'sla_breaches', points: 15, value: 3 },
        { code: 'open_complaints', points: 10, value: 1 },
      ],
    });
  });

  it('gives no trend points when orders grew or there were none before', () => {
    const risk = churnRisk(
      {
        daysSinceLastPurchase: 0,
        recentOrders: 3,
        previousOrders: 0,
        openComplaints: 0,
        slaBreaches: 0,
      },
      SETTINGS,
    );
    expect(risk).toEqual({ score: 0, level: 'low', reasons: [] });
  });
});
