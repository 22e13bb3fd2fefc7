import { readFileSync } from 'node:fs';
import { CrmConfigError, DEFAULT_CRM_CONFIG, parseCrmConfig } from './crm-config.js';

describe('parseCrmConfig', () => {
  it('accepts the example file, which documents every key', () => {
    const config = parseCrmConfig(readFileSync('crm.config.example.yaml', 'utf8'), 'example');
    expect(config.organization.timeZone).toBe('Asia/Jakarta');
    expect(Object.keys(config).sort()).toEqual(Object.keys(DEFAULT_CRM_CONFIG).sort());
  });

  it('fills defaults for absent sections', () => {
    expect(parseCrmConfig('version: 1\n', 'f')).toEqual(DEFAULT_CRM_CONFIG);
  });

  it('reports unknown keys, bad values and bad YAML', () => {
    expect(() => parseCrmConfig('version: 2\n', 'f')).toThrow(CrmConfigError);
    expect(() => parseCrmConfig('version: 1\norganization:\n  timeZone: Mars/Base\n', 'f')).toThrow(
      'unknown time zone',
    );
    expect(() =>
      parseCrmConfig('version: 1\napi: { defaultPageSize: 100, maxPageSize: 50 }\n', 'f'),
    ).toThrow('must not exceed');
    expect(() => parseCrmConfig('version: 1\nimports: { retentionDays: 0 }\n', 'f')).toThrow(
      '/imports/retentionDays',
    );
    expect(() => parseCrmConfig('version: [1\n', 'f')).toThrow('not valid YAML');
    expect(() => parseCrmConfig('version: 1\nsecurityy: {}\n', 'f')).toThrow(
      'unknown key "securityy"',
    );
  });

  it('reports in the default currency unless forecasting names another, and checks its meaning', () => {
    expect(
      parseCrmConfig('version: 1\norganization: { defaultCurrency: USD }\n', 'f').forecasting,
    ).toEqual({ reportingCurrency: 'USD', commitProbability: 90, bestCaseProbability: 50 });
    expect(
      parseCrmConfig('version: 1\nforecasting: { reportingCurrency: SGD }\n', 'f').forecasting
        .reportingCurrency,
    ).toBe('SGD');
    expect(() =>
      parseCrmConfig('version: 1\nforecasting: { reportingCurrency: XYZ }\n', 'f'),
    ).toThrow('"XYZ" is not an ISO 4217 currency code');
    expect(() =>
      parseCrmConfig('version: 1\nforecasting: { reportingCurrency: usd }\n', 'f'),
    ).toThrow('/forecasting/reportingCurrency');
    expect(() =>
      parseCrmConfig(
        'version: 1\nforecasting: { commitProbability: 40, bestCaseProbability: 60 }\n',
        'f',
      ),
    ).toThrow('must not exceed forecasting.commitProbability');
  });

  it('takes a forecast category on open stages only', () => {
    const pipeline = (extra: string) => `version: 1
pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }
${extra}`;
    const held =
      '      - { key: h, label: { en: H }, probability: 30, kind: open, forecastCategory: omitted }\n';
    expect(parseCrmConfig(pipeline(held), 'f').pipelines[0].stages[3].forecastCategory).toBe(
      'omitted',
    );
    expect(() => parseCrmConfig(pipeline(held.replace('kind: open', 'kind: lost')), 'f')).toThrow(
      'stage "h" is lost; only open stages take a forecastCategory',
    );
    expect(() => parseCrmConfig(pipeline(held.replace('omitted', 'closed')), 'f')).toThrow(
      '/pipelines/0/stages/3/forecastCategory',
    );
  });
});
