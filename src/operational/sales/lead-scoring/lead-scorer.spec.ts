import type { LeadScoringRuleConfig } from '../lead-rules/lead-rules.config.js';
import { scoreLead } from './lead-scorer.js';

const label = { en: 'Rule' };
const RULES: LeadScoringRuleConfig[] = [
  {
    key: 'target_industry',
    label,
    points: 10,
    when: [{ field: 'industry', op: 'in', value: ['retail', 'banking'] }],
  },
  {
    key: 'big_in_indonesia',
    label,
    points: 15,
    when: [
      { field: 'customFields.employees', op: 'gte', value: 500 },
      { field: 'address.country', op: 'eq', value: 'ID' },
    ],
  },
  {
    key: 'inbound_email',
    label,
    points: 5,
    activity: { types: ['email'], direction: 'inbound', within: 30, per: 'occurrence', cap: 3 },
  },
  { key: 'met', label, points: 20, activity: { types: ['meeting'], within: 90 } },
  { key: 'idle', label, points: -20, activity: { none: true, within: 60 } },
];

const NOW = new Date('2026-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const counts = (entries: Record<string, number> = {}) => new Map(Object.entries(entries));

describe('scoreLead', () => {
  it('adds the points of field rules whose conditions all hold', () => {
    const lead = {
      industry: 'Retail',
      address: { country: 'ID' },
      customFields: { employees: 800 },
      createdAt: daysAgo(1),
    };
    expect(scoreLead(RULES, lead, counts(), NOW)).toEqual({
      score: 25,
      rules: [
        { key: 'target_industry', points: 10 },
        { key: 'big_in_indonesia', points: 15 },
      ],
    });
    const abroad = { ...lead, address: { country: 'SG' } };
    expect(scoreLead(RULES, abroad, counts(), NOW).score).toBe(10);
  });

  it('gives activity points per occurrence up to the cap, or once', () => {
    const lead = { industry: 'mining', createdAt: daysAgo(5) };
    expect(scoreLead(RULES, lead, counts({ inbound_email: 2 }), NOW)).toEqual({
      score: 10,
      rules: [{ key: 'inbound_email', points: 10 }],
    });
    expect(scoreLead(RULES, lead, counts({ inbound_email: 7 }), NOW).score).toBe(15);
    expect(scoreLead(RULES, lead, counts({ met: 4 }), NOW).score).toBe(20);
  });

  it('takes points off a lead idle for the whole window, not one too young to tell', () => {
    const old = { createdAt: daysAgo(61) };
    expect(scoreLead(RULES, old, counts(), NOW)).toEqual({
      score: -20,
      rules: [{ key: 'idle', points: -20 }],
    });
    expect(scoreLead(RULES, old, counts({ idle: 1 }), NOW).score).toBe(0);
    expect(scoreLead(RULES, { createdAt: daysAgo(59) }, counts(), NOW).score).toBe(0);
    expect(scoreLead(RULES, { createdAt: new Date(daysAgo(60)) }, counts(), NOW).score).toBe(-20);
  });

  it('scores nothing without rules', () => {
    expect(scoreLead([], { createdAt: daysAgo(1) }, counts(), NOW)).toEqual({
      score: 0,
      rules: [],
    });
  });
});
