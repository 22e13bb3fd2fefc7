/**
 * What other modules use of segments: the module, the service, the fact registry to add
 * facts to, the membership query (campaigns snapshot a segment through it), the events, and
 * the pure rule language (analytics compiles rules with it).
 */
export { SegmentsModule } from './segments.module.js';
export { SegmentsService } from './segments.service.js';
export { SegmentFactRegistry } from './segment-fact-registry.js';
export { SegmentMembership, type SegmentShape } from './segment-membership.js';
export { SegmentRules } from './segment-rules.js';
export * from './segments.events.js';
export { FactRegistry } from './rules/fact-registry.js';
export type { FactArgument, FactSqlContext, SegmentFact } from './rules/fact-registry.js';
export { checkRule, type RuleEnvironment } from './rules/rule-checker.js';
export { compileRule, segmentQuery } from './rules/rule-compiler.js';
export {
  RULE_OPERATORS,
  RuleValidationError,
  type CheckedRule,
  type RuleNode,
  type RuleProblem,
} from './rules/rule-tree.js';
