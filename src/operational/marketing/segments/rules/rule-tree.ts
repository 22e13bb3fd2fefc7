import { FILTER_OPERATORS } from '#platform/query/index.js';
import type { QueryField, QuerySchema } from '#platform/query/index.js';

/** Operators a condition on a field may use: those of list filters, and two for ranges. */
export const RULE_OPERATORS = [...FILTER_OPERATORS, 'between', 'withinLast'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/**
 * A segment rule as clients write it: groups (`all`, `any`, `not`), conditions on a contact's
 * fields (`{ field, op, value }`, with `customFields.code` and relation paths such as
 * `account.industry`) and facts (`{ fact, ...arguments }`) from the fact registry.
 */
export type RuleNode =
  | { all: RuleNode[] }
  | { any: RuleNode[] }
  | { not: RuleNode }
  | { field: string; op: RuleOperator; value?: unknown }
  | ({ fact: string } & Record<string, unknown>);

/** A field a condition reads, resolved against the live record definitions. */
export interface ResolvedField extends QueryField {
  /** Set for `account.industry`: the related table, its alias and the foreign key. */
  via?: { target: QuerySchema; alias: string; foreignKey: string };
}

/** A checked rule: every field known, every value of the field's type, every fact registered. */
export type CheckedRule =
  | { kind: 'all' | 'any'; children: CheckedRule[] }
  | { kind: 'not'; child: CheckedRule }
  | { kind: 'condition'; field: ResolvedField; op: RuleOperator; value: unknown }
  | { kind: 'fact'; name: string; args: Record<string, unknown> };

/** One thing wrong with a rule, at its JSON pointer (RFC 6901) from the rule's root. */
export interface RuleProblem {
  pointer: string;
  rule: string;
  message: string;
}

/** Thrown when a rule does not check; carries every problem found. */
export class RuleValidationError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map((p) => `${p.pointer}: ${p.message}`).join('; '));
  }
}

/** Limits that keep one rule's SQL reasonable. */
export const RULE_LIMITS = { depth: 10, children: 50, nodes: 200, inValues: 500 } as const;
