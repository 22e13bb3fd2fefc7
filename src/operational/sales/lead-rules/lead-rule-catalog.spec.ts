import { readFileSync } from 'node:fs';
import { CrmConfigError, parseCrmConfig } from '#platform/config/crm-config.js';
import { LeadRuleCatalog } from './lead-rule-catalog.js';
import { SALES_CONFIG } from '../sales.config.js';

const problemsOf = (yaml: string): string[] => {
  const catalog = new LeadRuleCatalog(parseCrmConfig(`version: 1\n${yaml}`, 'f', SALES_CONFIG));
  try {
    catalog.onModuleInit();
  } catch (e) {
    return (e as CrmConfigError).problems;
  }
  return [];
};

describe('LeadRuleCatalog', () => {
  it('accepts the rules of the example file', () => {
    const example = readFileSync('crm.config.example.yaml', 'utf8').replace(/^version: 1\n/m, '');
    expect(problemsOf(example)).toEqual([]);
    expect(
      new LeadRuleCatalog(parseCrmConfig(`version: 1\n${example}`, 'f', SALES_CONFIG)).scoringRules,
    ).toHaveLength(6);
  });

  it('accepts built-in fields, address parts, stored custom fields and money amounts', () => {
    expect(
      problemsOf(`
customization:
  leads:
    fields:
      - { code: employees, type: number, label: { en: Employees } }
      - { code: budget, type: money, label: { en: Budget } }
      - code: segment
        type: picklist
        label: { en: Segment }
        options: [{ value: smb, label: { en: SMB } }, { value: enterprise, label: { en: Enterprise } }]
leadScoring:
  schedule: '30 1 * * *'
  rules:
    - key: big
      label: { en: Big }
      points: 10
      when:
        - { field: customFields.employees, op: gte, value: 500 }
        - { field: customFields.budget.amount, op: gt, value: 1000000 }
        - { field: customFields.segment, op: in, value: [Enterprise] }
        - { field: source, op: eq, value: web }
        - { field: address.country, op: eq, value: ID }
    - key: email
      label: { en: Email }
      points: 5
      activity: { types: [email], direction: inbound, status: [completed], within: 30 }
leadAssignment:
  rules:
    - key: rr
      label: { en: RR }
      when: [{ field: rating, op: eq, value: hot }]
      strategy: roundRobin
      teamId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21
`),
    ).toEqual([]);
  });

  it('lists every unknown field, value outside a picklist, bad value and activity word', () => {
    const problems = problemsOf(`
customization:
  leads:
    fields:
      - { code: fullName, type: formula, resultType: text, label: { en: Name }, expression: "CONCAT(firstName, ' ', lastName)" }
leadScoring:
  schedule: 'every night'
  rules:
    - key: a
      label: { en: A }
      points: 1
      when:
        - { field: shoeSize, op: eq, value: 42 }
        - { field: customFields.fullName, op: eq, value: x }
        - { field: status, op: in, value: [new, sleeping] }
        - { field: industry, op: in, value: retail }
    - key: b
      label: { en: B }
      points: 1
      activity: { types: [fax], direction: sideways, status: [done], within: 5 }
leadAssignment:
  rules:
    - key: c
      label: { en: C }
      when: [{ field: ownerId, op: isNull }]
      strategy: user
      userId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21
`);
    expect(problems).toEqual([
      expect.stringMatching(
        /^\/leadScoring\/rules\/0 \(a\)\/when\/0: unknown lead field "shoeSize" \(known: salutation, /,
      ),
      expect.stringMatching(
        /^\/leadScoring\/rules\/0 \(a\)\/when\/1: unknown lead field "customFields.fullName"/,
      ),
      '/leadScoring/rules/0 (a)/when/2 (status): "sleeping" is not one of its values (new, working, nurturing, qualified, unqualified, converted)',
      '/leadScoring/rules/0 (a)/when/3 (industry): "in" needs a non-empty list of values',
      '/leadScoring/rules/1 (b)/activity/types: "fax" is not an activity type (task, call, meeting, email, note)',
      '/leadScoring/rules/1 (b)/activity/status: "done" is not an activity status (planned, completed, cancelled)',
      '/leadScoring/rules/1 (b)/activity/direction: "sideways" is not an activity direction (inbound, outbound)',
      expect.stringMatching(
        /^\/leadAssignment\/rules\/0 \(c\)\/when\/0: unknown lead field "ownerId"/,
      ),
      expect.stringMatching(/^\/leadScoring\/schedule: /),
    ]);
  });

  it('lists keys used twice, rules of no kind and strategies missing what they need', () => {
    expect(
      problemsOf(`
leadScoring:
  rules:
    - { key: a, label: { en: A }, points: 2, when: [{ field: industry, op: eq, value: x }] }
    - { key: a, label: { en: A again }, points: 1 }
    - { key: c, label: { en: C }, points: 1, activity: { within: 10, none: true, per: occurrence } }
    - { key: d, label: { en: D }, points: 1, activity: { within: 10, cap: 2 } }
leadAssignment:
  rules:
    - { key: rr, label: { en: RR }, strategy: roundRobin }
    - { key: fixed, label: { en: Fixed }, strategy: user, teamId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21 }
    - { key: ll, label: { en: LL }, strategy: leastLoaded, teamId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21, userId: 0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21 }
`),
    ).toEqual([
      '/leadScoring/rules/1 (a): key "a" is declared twice',
      '/leadScoring/rules/1 (a): needs either "when" (field conditions) or "activity" (a signal)',
      '/leadScoring/rules/2 (c)/activity: "none" counts absence; "per" and "cap" do not apply',
      '/leadScoring/rules/3 (d)/activity: "cap" limits "per: occurrence"; add it or drop the cap',
      '/leadAssignment/rules/0 (rr): strategy "roundRobin" needs teamId (whose members take turns)',
      '/leadAssignment/rules/1 (fixed): strategy "user" needs userId',
      '/leadAssignment/rules/2 (ll): userId applies to strategy "user" only',
    ]);
  });

  it('labels rules in the caller’s language', () => {
    const catalog = new LeadRuleCatalog(
      parseCrmConfig(
        `version: 1
leadScoring:
  rules: [{ key: a, label: { en: Target industry, id: Industri sasaran }, points: 1, when: [{ field: industry, op: eq, value: retail }] }]
`,
        'f',
        SALES_CONFIG,
      ),
    );
    expect(catalog.scoringLabel('a', 'id')).toBe('Industri sasaran');
    expect(catalog.scoringLabel('a', 'en')).toBe('Target industry');
    expect(catalog.scoringLabel('gone', 'en')).toBeNull();
  });
});
