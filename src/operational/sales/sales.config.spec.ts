import { parseCrmConfig } from '#platform/config/crm-config.js';
import { FORECASTING_CONFIG } from './forecasts/forecasting.config.js';
import { PIPELINES_CONFIG } from './pipelines/pipelines.config.js';
import { SALES_CONFIG } from './sales.config.js';

const parse = (yaml: string) => parseCrmConfig(`version: 1\n${yaml}`, 'f', SALES_CONFIG);

describe('sales config sections', () => {
  it('reports in the default currency unless forecasting names another, and checks its meaning', () => {
    expect(FORECASTING_CONFIG.read(parse('organization: { defaultCurrency: USD }\n'))).toEqual({
      reportingCurrency: 'USD',
      commitProbability: 90,
      bestCaseProbability: 50,
    });
    expect(
      FORECASTING_CONFIG.read(parse('forecasting: { reportingCurrency: SGD }\n')).reportingCurrency,
    ).toBe('SGD');
    expect(() => parse('forecasting: { reportingCurrency: XYZ }\n')).toThrow(
      '"XYZ" is not an ISO 4217 currency code',
    );
    expect(() => parse('forecasting: { reportingCurrency: usd }\n')).toThrow(
      '/forecasting/reportingCurrency',
    );
    expect(() =>
      parse('forecasting: { commitProbability: 40, bestCaseProbability: 60 }\n'),
    ).toThrow('must not exceed forecasting.commitProbability');
  });

  it('takes a forecast category on open stages only', () => {
    const pipeline = (extra: string) => `pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }
${extra}`;
    const held =
      '      - { key: h, label: { en: H }, probability: 30, kind: open, forecastCategory: omitted }\n';
    expect(PIPELINES_CONFIG.read(parse(pipeline(held)))[0].stages[3].forecastCategory).toBe(
      'omitted',
    );
    expect(() => parse(pipeline(held.replace('kind: open', 'kind: lost')))).toThrow(
      'stage "h" is lost; only open stages take a forecastCategory',
    );
    expect(() => parse(pipeline(held.replace('omitted', 'closed')))).toThrow(
      '/pipelines/0/stages/3/forecastCategory',
    );
  });

  it('fills the defaults of absent sales sections', () => {
    const config = parse('');
    expect(Object.keys(config.sections)).toEqual([
      'pipelines',
      'leadConversion',
      'leadScoring',
      'leadAssignment',
      'forecasting',
    ]);
    expect(config.sections.leadScoring).toEqual({ rules: [], schedule: '0 2 * * *' });
    expect(config.sections.leadConversion).toEqual({ customFieldMap: {} });
  });
});
