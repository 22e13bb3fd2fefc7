import { defineConfigSection } from '#platform/config/index.js';
import { LOCALIZED_TEXT_SCHEMA, type LocalizedText } from '#platform/customization/index.js';
import { RECORD_CONDITION_SCHEMA, type RecordCondition } from '#platform/records/index.js';

/**
 * The `leadScoring` and `leadAssignment` sections of crm.config.yaml: their types and their
 * JSON Schema. Everything a schema cannot say — unique keys, what each strategy needs,
 * whether conditions name real lead fields and signals real activity types — is checked by
 * the sales module, which knows leads and activities, and listed in one go.
 */
export const ASSIGNMENT_STRATEGIES = ['user', 'roundRobin', 'leastLoaded'] as const;

/**
 * Activities related to the lead that earn (or cost) points: those of the given types,
 * direction and statuses whose time (`occurred_at`) lies within the last `within` days.
 * Without `per` the rule counts once when there is at least one; with `per: occurrence`
 * it counts for each, up to `cap`; with `none: true` it counts when there is none, once the
 * lead itself is older than `within` days.
 */
export interface ActivitySignalConfig {
  readonly types?: readonly string[];
  readonly direction?: string;
  /** Statuses that count; default: completed only. */
  readonly status?: readonly string[];
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

const RULE_KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' };
const UUID = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
};
const WORD = { type: 'string', pattern: '^[a-z]{1,30}$' };
const words = { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: WORD };
const conditions = { type: 'array', minItems: 1, maxItems: 20, items: RECORD_CONDITION_SCHEMA };

/** Most scoring rules a configuration declares, so most that count for one score. */
export const MAX_SCORING_RULES = 100;

const LEAD_SCORING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    schedule: { type: 'string', minLength: 9, maxLength: 100 },
    rules: {
      type: 'array',
      maxItems: MAX_SCORING_RULES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'label', 'points'],
        properties: {
          key: RULE_KEY,
          label: LOCALIZED_TEXT_SCHEMA,
          points: { type: 'integer', minimum: -1000, maximum: 1000 },
          when: conditions,
          activity: {
            type: 'object',
            additionalProperties: false,
            required: ['within'],
            properties: {
              types: words,
              direction: WORD,
              status: words,
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

const LEAD_ASSIGNMENT_SCHEMA = {
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
          label: LOCALIZED_TEXT_SCHEMA,
          when: conditions,
          strategy: { enum: ASSIGNMENT_STRATEGIES },
          userId: UUID,
          teamId: UUID,
        },
      },
    },
  },
} as const;

/** Rules that score leads, and when every open lead is scored again. */
export const LEAD_SCORING_CONFIG = defineConfigSection<LeadScoringConfig>({
  key: 'leadScoring',
  schema: LEAD_SCORING_SCHEMA,
  resolve: (given) => ({
    rules: [],
    schedule: '0 2 * * *',
    ...(given as Partial<LeadScoringConfig> | undefined),
  }),
});

/** Ordered rules that choose the owner of a new (or re-assigned) lead. */
export const LEAD_ASSIGNMENT_CONFIG = defineConfigSection<LeadAssignmentConfig>({
  key: 'leadAssignment',
  schema: LEAD_ASSIGNMENT_SCHEMA,
  resolve: (given) => ({ rules: [], ...(given as Partial<LeadAssignmentConfig> | undefined) }),
});
