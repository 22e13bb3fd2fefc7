import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, CrmConfigError, type CrmConfig } from '#platform/config/index.js';
import type { Locale } from '#platform/http/index.js';
import { cronProblem } from '#platform/jobs/index.js';
import {
  conditionValueProblems,
  conditionValues,
  type RecordCondition,
} from '#platform/records/index.js';
import {
  ACTIVITY_DIRECTIONS,
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
} from '#operational/activities/index.js';
import { LEAD_DEFINITION } from '../leads/lead.definition.js';
import { localized } from '../pipelines/pipeline-catalog.js';
import {
  LEAD_ASSIGNMENT_CONFIG,
  LEAD_SCORING_CONFIG,
  type ActivitySignalConfig,
  type LeadAssignmentRuleConfig,
  type LeadScoringRuleConfig,
} from './lead-rules.config.js';

/** Parts of a lead's address a condition may name, e.g. `address.country` for territories. */
const ADDRESS_PARTS = ['street', 'city', 'region', 'postalCode', 'country'];
/** Lead attributes a rule may not test: who owns the lead is what assignment decides. */
const NOT_CONDITIONS = new Set(['ownerId', 'teamId']);

/** A lead field a condition may name, with the values it may take when they are a closed list. */
interface ConditionField {
  name: string;
  values?: readonly string[];
}

/**
 * The lead scoring and assignment rules of crm.config.yaml, checked once at start and read by
 * the scorer and the assigner. Conditions may name the lead's built-in fields, address parts
 * and stored custom fields. Every problem the schema cannot see — a key used twice, a rule
 * that is neither a field test nor a signal, a strategy without its team or user, an unknown
 * field, a value outside a picklist, an operator without the value it needs, an activity
 * type that does not exist, a bad schedule — stops the start, all of them listed together.
 */
@Injectable()
export class LeadRuleCatalog implements OnModuleInit {
  readonly scoringRules: readonly LeadScoringRuleConfig[];
  readonly assignmentRules: readonly LeadAssignmentRuleConfig[];
  /** Cron expression and time zone of the nightly recalculation. */
  readonly schedule: { cron: string; timeZone: string };
  private readonly problems: string[];

  constructor(@Inject(CRM_CONFIG) config: CrmConfig) {
    const scoring = LEAD_SCORING_CONFIG.read(config);
    this.scoringRules = scoring.rules;
    this.assignmentRules = LEAD_ASSIGNMENT_CONFIG.read(config).rules;
    this.schedule = { cron: scoring.schedule, timeZone: config.organization.timeZone };
    const fields = conditionFields(config);
    this.problems = [
      ...duplicateKeys('leadScoring', this.scoringRules),
      ...this.scoringRules.flatMap((r, i) =>
        scoringRuleProblems(`/leadScoring/rules/${i} (${r.key})`, r, fields),
      ),
      ...duplicateKeys('leadAssignment', this.assignmentRules),
      ...this.assignmentRules.flatMap((r, i) =>
        assignmentRuleProblems(`/leadAssignment/rules/${i} (${r.key})`, r, fields),
      ),
    ];
    const cron = cronProblem(this.schedule.cron, this.schedule.timeZone);
    if (cron) this.problems.push(`/leadScoring/schedule: ${cron}`);
  }

  /** Thrown here, not in the constructor, so the start ends with the list of problems. */
  onModuleInit(): void {
    if (this.problems.length)
      throw new CrmConfigError('crm.config.yaml (leadScoring, leadAssignment)', this.problems);
  }

  /** A rule's label in the caller's language, or null for a rule no longer configured. */
  scoringLabel(key: string, locale: Locale): string | null {
    const rule = this.scoringRules.find((r) => r.key === key);
    return rule ? localized(rule.label, locale) : null;
  }
}

/** Every field a lead rule may test, from the lead definition and the configured custom fields. */
function conditionFields(config: CrmConfig): Map<string, ConditionField> {
  const custom = config.customization.leads;
  const fields = new Map<string, ConditionField>();
  for (const a of LEAD_DEFINITION.attributes) {
    if (a.kind !== 'scalar' || a.writable === 'never' || NOT_CONDITIONS.has(a.name)) continue;
    const configured = custom?.picklists?.[a.name]?.map((o) => o.value);
    fields.set(a.name, { name: a.name, values: configured ?? a.values });
  }
  for (const part of ADDRESS_PARTS) fields.set(`address.${part}`, { name: `address.${part}` });
  for (const f of custom?.fields ?? []) {
    // Formula and roll-up values are computed on read; a rule reads what is stored.
    if (f.type === 'formula' || f.type === 'rollup') continue;
    const name = `customFields.${f.code}`;
    if (f.type === 'money') {
      fields.set(`${name}.amount`, { name: `${name}.amount` });
      fields.set(`${name}.currency`, { name: `${name}.currency` });
    } else {
      fields.set(name, { name, values: f.options?.map((o) => o.value) });
    }
  }
  return fields;
}

function duplicateKeys(section: string, rules: readonly { key: string }[]): string[] {
  const seen = new Set<string>();
  return rules.flatMap((r, i) => {
    const twice = seen.has(r.key);
    seen.add(r.key);
    return twice ? [`/${section}/rules/${i} (${r.key}): key "${r.key}" is declared twice`] : [];
  });
}

/** One kind of test per rule, signals that make sense, conditions on real fields. */
function scoringRuleProblems(
  at: string,
  rule: LeadScoringRuleConfig,
  fields: ReadonlyMap<string, ConditionField>,
): string[] {
  const problems: string[] = [];
  if ((rule.when === undefined) === (rule.activity === undefined))
    problems.push(`${at}: needs either "when" (field conditions) or "activity" (a signal)`);
  const a = rule.activity;
  if (a?.none && (a.per !== undefined || a.cap !== undefined))
    problems.push(`${at}/activity: "none" counts absence; "per" and "cap" do not apply`);
  if (a && a.cap !== undefined && a.per === undefined)
    problems.push(`${at}/activity: "cap" limits "per: occurrence"; add it or drop the cap`);
  return [
    ...problems,
    ...signalProblems(`${at}/activity`, a),
    ...conditionProblems(`${at}/when`, rule.when, fields),
  ];
}

/** What each strategy needs, and conditions on real fields. */
function assignmentRuleProblems(
  at: string,
  rule: LeadAssignmentRuleConfig,
  fields: ReadonlyMap<string, ConditionField>,
): string[] {
  const problems: string[] = [];
  if (rule.strategy === 'user' && !rule.userId)
    problems.push(`${at}: strategy "user" needs userId`);
  if (rule.strategy !== 'user' && !rule.teamId)
    problems.push(`${at}: strategy "${rule.strategy}" needs teamId (whose members take turns)`);
  if (rule.strategy !== 'user' && rule.userId)
    problems.push(`${at}: userId applies to strategy "user" only`);
  return [...problems, ...conditionProblems(`${at}/when`, rule.when, fields)];
}

/** Activity types, statuses and directions a signal names must be the activities' own. */
function signalProblems(at: string, signal: ActivitySignalConfig | undefined): string[] {
  if (!signal) return [];
  const problems: string[] = [];
  const check = (key: string, noun: string, given: readonly string[], known: readonly string[]) => {
    for (const v of given)
      if (!known.includes(v))
        problems.push(`${at}/${key}: "${v}" is not an activity ${noun} (${known.join(', ')})`);
  };
  check('types', 'type', signal.types ?? [], ACTIVITY_TYPES);
  check('status', 'status', signal.status ?? [], ACTIVITY_STATUSES);
  check('direction', 'direction', signal.direction ? [signal.direction] : [], ACTIVITY_DIRECTIONS);
  return problems;
}

function conditionProblems(
  at: string,
  conditions: readonly RecordCondition[] | undefined,
  fields: ReadonlyMap<string, ConditionField>,
): string[] {
  const problems: string[] = [];
  (conditions ?? []).forEach((c, i) => {
    const where = `${at}/${i}`;
    const field = fields.get(c.field);
    if (!field) {
      problems.push(
        `${where}: unknown lead field "${c.field}" (known: ${[...fields.keys()].join(', ')})`,
      );
      return;
    }
    problems.push(...conditionValueProblems(c).map((p) => `${where} (${c.field}): ${p}`));
    if (field.values) {
      const allowed = new Set(field.values.map((v) => v.toLowerCase()));
      for (const v of conditionValues(c))
        if (!allowed.has(String(v).toLowerCase()))
          problems.push(
            `${where} (${c.field}): "${String(v)}" is not one of its values (${field.values.join(', ')})`,
          );
    }
  });
  return problems;
}
