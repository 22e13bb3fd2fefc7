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
    expect(() => parseCrmConfig('version: [1\n', 'f')).toThrow('not valid YAML');
    expect(() => parseCrmConfig('version: 1\nsecurityy: {}\n', 'f')).toThrow(
      'unknown key "securityy"',
    );
  });

  it('lists every shape problem of the lead scoring and assignment rules', () => {
    const text = `version: 1
leadScoring:
  rules:
    - { key: a, label: { en: A }, points: 2.5, when: [{ field: industry, op: like, value: x }] }
    - { key: a, label: { en: A again }, points: 1 }
    - { key: c, label: { en: C }, points: 1, activity: { within: 10, none: true, per: occurrence } }
leadAssignment:
  rules:
    - { key: rr, label: { en: RR }, strategy: roundRobin }
    - { key: fixed, label: { en: Fixed }, strategy: user, teamId: not-a-uuid }
`;
    const problems = (() => {
      try {
        parseCrmConfig(text, 'f');
      } catch (e) {
        return (e as CrmConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        '/leadScoring/rules/0/points: must be integer',
        '/leadScoring/rules/0/when/0/op: must be equal to one of the allowed values',
        '/leadAssignment/rules/1/teamId: must match pattern "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"',
      ]),
    );
    const shape = parseShape(text.replace('2.5', '2').replace('op: like', 'op: eq'));
    expect(shape).toEqual([
      '/leadScoring/rules/1 (a): key "a" is declared twice',
      '/leadScoring/rules/1 (a): needs either "when" (field conditions) or "activity" (a signal)',
      '/leadScoring/rules/2 (c)/activity: "none" counts absence; "per" and "cap" do not apply',
      '/leadAssignment/rules/0 (rr): strategy "roundRobin" needs teamId (whose members take turns)',
      '/leadAssignment/rules/1 (fixed): strategy "user" needs userId',
    ]);
  });
});

/** The problems of a file that passes the schema. */
function parseShape(text: string): string[] {
  try {
    parseCrmConfig(
      text.replace('teamId: not-a-uuid', 'teamId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21'),
      'f',
    );
  } catch (e) {
    return (e as CrmConfigError).problems;
  }
  return [];
}
