import type { LocalizedText } from '../customization/customization.schema.js';
import { RECORD_CONDITION_SCHEMA, type RecordCondition } from '../records/record-condition.js';

/**
 * The `leadScoring` and `leadAssignment` sections of crm.config.yaml: their types, their
 * JSON Schema and the shape rules a schema cannot say. Whether conditions name real lead
 * fields is checked by the sales module, which knows them.
 */
export const ACTIVITY_TYPES = ['task', 'call', 'meeting', 'email', 'note'] as const;
export const ACTIVITY_STATUSES = ['planned', 'completed', 'cancelled'] as const;
export const ASSIGNMENT_STRATEGIES = ['user', 'roundRobin', 'leastLoaded'] as const;

/**
 * Activities related to the lead that earn (or cost) points: those of the given types,
 * direction and statuses whose time (`occurred_at`) lies within the last `within` days.
 * Without `per` the rule counts once when there is at least one; with `per: occurrence`
 * it counts for each, up to `cap`; with `none: true` it counts when there is none, once the
 * lead itself is older than `within` days.
 */
export interface ActivitySignalConfig {
  readonly types?: readonly (typeof ACTIVITY_TYPES)[number][];
  readonly direction?: 'inbound' | 'outbound';
  /** Statuses that count; default: completed only. */
  readonly status?: readonly (typeof ACTIVITY_STATUSES)[number][];
  /** Days back from now. */
  readonly within: number;
  readonly per?: 'occurrence';
  readonly cap?: number;
  readonly none?: boolean;
}

export interface LeadScoringRuleConfig {
  readonly key: string;
  readonly label: LocalizedText;
  /** Added to the score when the rule holds (negative: taken off). */
  readonly points: number;
  /** Field conditions, all of which must hold. */
  readonly when?: readonly RecordCondition[];
  readonly activity?: ActivitySignalConfig;
}

export interface LeadScoringConfig {
  readonly rules: readonly LeadScoringRuleConfig[];
  /** Cron expression, in organization.timeZone, of the recalculation of every open lead. */
  readonly schedule: string;
}

export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export interface LeadAssignmentRuleConfig {
  readonly key: string;
  readonly label: LocalizedText;
  /** Field conditions, all of which must hold; none: the rule takes every lead. */
  readonly when?: readonly RecordCondition[];
  readonly strategy: AssignmentStrategy;
  /** The owner, for `user`. */
  readonly userId?: string;
  /** The team the lead joins; whose members `roundRobin` and `leastLoaded` choose from. */
  readonly teamId?: string;
}

export interface LeadAssignmentConfig {
  /** Tried in order; the first whose conditions hold assigns the lead. */
  readonly rules: readonly LeadAssignmentRuleConfig[];
}

export const DEFAULT_LEAD_SCORING: LeadScoringConfig = { rules: [], schedule: '0 2 * * *' };
export const DEFAULT_LEAD_ASSIGNMENT: LeadAssignmentConfig = { rules: [] };

const RULE_KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' };
const UUID = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
};
const label = {
  type: 'object',
  additionalProperties: false,
  required: ['en'],
  properties: {
    en: { type: 'string', minLength: 1, maxLength: 200 },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
};
const conditions = { type: 'array', minItems: 1, maxItems: 20, items: RECORD_CONDITION_SCHEMA };

export const LEAD_SCORING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    schedule: { type: 'string', minLength: 9, maxLength: 100 },
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'label', 'points'],
        properties: {
          key: RULE_KEY,
          label,
          points: { type: 'integer', minimum: -1000, maximum: 1000 },
          when: conditions,
          activity: {
            type: 'object',
            additionalProperties: false,
            required: ['within'],
            properties: {
              types: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { enum: ACTIVITY_TYPES },
              },
              direction: { enum: ['inbound', 'outbound'] },
              status: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { enum: ACTIVITY_STATUSES },
              },
              within: { type: 'integer', minimum: 1, maximum: 3650 },
              per: { enum: ['occurrence'] },
              cap: { type: 'integer', minimum: 1, maximum: 1000 },
              none: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
} as const;

export const LEAD_ASSIGNMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'label', 'strategy'],
        properties: {
          key: RULE_KEY,
          label,
          when: conditions,
          strategy: { enum: ASSIGNMENT_STRATEGIES },
          userId: UUID,
          teamId: UUID,
        },
      },
    },
  },
} as const;

/** Unique keys, one kind of test per scoring rule, and what each strategy needs. */
export function leadRuleShapeProblems(
  scoring: LeadScoringConfig,
  assignment: LeadAssignmentConfig,
): string[] {
  const problems: string[] = [];
  const once = (section: string, keys: readonly string[]) => {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (seen.has(key))
        problems.push(`/${section}/rules/${i} (${key}): key "${key}" is declared twice`);
      seen.add(key);
    });
  };
  once(
    'leadScoring',
    scoring.rules.map((r) => r.key),
  );
  once(
    'leadAssignment',
    assignment.rules.map((r) => r.key),
  );
  scoring.rules.forEach((r, i) => {
    const at = `/leadScoring/rules/${i} (${r.key})`;
    if ((r.when === undefined) === (r.activity === undefined))
      problems.push(`${at}: needs either "when" (field conditions) or "activity" (a signal)`);
    const a = r.activity;
    if (a?.none && (a.per !== undefined || a.cap !== undefined))
      problems.push(`${at}/activity: "none" counts absence; "per" and "cap" do not apply`);
    if (a && a.cap !== undefined && a.per === undefined)
      problems.push(`${at}/activity: "cap" limits "per: occurrence"; add it or drop the cap`);
  });
  assignment.rules.forEach((r, i) => {
    const at = `/leadAssignment/rules/${i} (${r.key})`;
    if (r.strategy === 'user' && !r.userId) problems.push(`${at}: strategy "user" needs userId`);
    if (r.strategy !== 'user' && !r.teamId)
      problems.push(`${at}: strategy "${r.strategy}" needs teamId (whose members take turns)`);
    if (r.strategy !== 'user' && r.userId)
      problems.push(`${at}: userId applies to strategy "user" only`);
  });
  return problems;
}
