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
});
