import { ACTIVITY_TYPES } from '#operational/activities/index.js';
import type { SegmentFact } from '../rules/fact-registry.js';
import { WITHIN_DAYS } from './order-facts.js';

/**
 * `{ "fact": "hasActivity", "type"?: "call", "withinDays"?: 30 }`: an activity (not deleted,
 * not cancelled) is about the contact or lists them among its participants.
 */
export const HAS_ACTIVITY_FACT: SegmentFact = {
  name: 'hasActivity',
  description: 'Has an activity (of a type, in the last days) about them or with them taking part',
  arguments: { type: { type: 'enum', values: ACTIVITY_TYPES }, withinDays: WITHIN_DAYS },
  sql(args, ctx) {
    const a = ctx.alias('ha');
    const type =
      args.type === undefined ? '' : ` AND ${a}.type = ${ctx.params.add(args.type)}::text`;
    const recent =
      args.withinDays === undefined
        ? ''
        : ` AND ${a}.occurred_at >= now() - make_interval(days => ${ctx.params.add(args.withinDays)}::int)`;
    return `EXISTS (SELECT 1 FROM activities ${a}
        WHERE ${a}.deleted_at IS NULL AND ${a}.status <> 'cancelled'
          AND ((${a}.related_entity = 'contacts' AND ${a}.related_id = ${ctx.contact}.id)
               OR ${ctx.contact}.id::text = ANY(${a}.participant_contact_ids))${type}${recent})`;
  },
};
