import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import type { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { SegmentFactRegistry } from './segment-fact-registry.js';
import { checkRule } from './rules/rule-checker.js';
import { compileRule } from './rules/rule-compiler.js';
import { RuleValidationError, type CheckedRule } from './rules/rule-tree.js';

/**
 * Segment rules in the service's terms: checked against the contact definition as configured
 * (a 422 naming each bad node by its JSON pointer in the request body) and compiled to a
 * predicate over the contacts alias `c`.
 */
@Injectable()
export class SegmentRules {
  constructor(
    private readonly facts: SegmentFactRegistry,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /**
   * Checks a rule a caller wrote; fields hidden from them do not exist. `at` is the rule's
   * pointer in the request body, e.g. `/rules`.
   */
  check(ctx: RequestContext | null, raw: unknown, at: string): CheckedRule {
    try {
      return checkRule(raw, {
        contacts: querySchemaOf(CONTACT_DEFINITION),
        facts: this.facts,
        access: ctx?.principal ? this.permissions.queryAccess(ctx.user) : undefined,
      });
    } catch (e) {
      if (!(e instanceof RuleValidationError)) throw e;
      const errors = e.problems.map((p) => ({
        field: `${at}${p.pointer}`,
        rule: p.rule,
        message: p.message,
      }));
      throw new AppError(
        'segment_rule_invalid',
        { count: errors.length, pointer: errors[0].field, message: errors[0].message },
        errors,
        { pointer: errors[0].field },
      );
    }
  }

  /**
   * The predicate over contacts `c` of a checked rule. With a caller, related records outside
   * their read scope count as missing; without one (a refresh) every record counts.
   */
  compile(ctx: RequestContext | null, rule: CheckedRule, params: SqlParams): string {
    return compileRule(rule, {
      contact: 'c',
      params,
      facts: this.facts,
      access: ctx?.principal ? this.permissions.queryAccess(ctx.user) : undefined,
    });
  }
}
