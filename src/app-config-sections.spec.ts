import { readFileSync } from 'node:fs';
import { parseCrmConfig } from '#platform/config/crm-config.js';
import { PROBLEMS, registerProblems } from '#platform/http/problem-catalog.js';
import { APP_CONFIG, APP_PROBLEMS } from './app-config-sections.js';

describe('APP_CONFIG', () => {
  it('accepts the example file, which documents every section of every module', () => {
    const config = parseCrmConfig(
      readFileSync('crm.config.example.yaml', 'utf8'),
      'example',
      APP_CONFIG,
    );
    expect(config.organization.timeZone).toBe('Asia/Jakarta');
    const example = readFileSync('crm.config.example.yaml', 'utf8');
    for (const section of APP_CONFIG.sections)
      expect(example).toMatch(new RegExp(`^${section.key}:`, 'm'));
  });

  it('keeps the modules’ API paths from custom objects', () => {
    const object = `version: 1
objects:
  - { entity: leads, label: { en: Lead } }
  - { entity: activities, label: { en: Activity } }
  - { entity: quotes, label: { en: Quote } }
`;
    expect(() => parseCrmConfig(object, 'f', APP_CONFIG)).toThrow(
      /"leads" is a built-in path[\s\S]*"activities" is a built-in path[\s\S]*"quotes" is a built-in path/,
    );
  });
});

describe('APP_PROBLEMS', () => {
  it('declares every code once, apart from the platform’s', () => {
    expect(() => registerProblems(APP_PROBLEMS)).not.toThrow();
    expect(PROBLEMS.lead_converted.status).toBe(409);
    expect(PROBLEMS.stage_transition_not_allowed.status).toBe(409);
    expect(PROBLEMS.insufficient_history.status).toBe(422);
  });
});
