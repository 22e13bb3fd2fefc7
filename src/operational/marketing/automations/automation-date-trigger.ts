import type { CustomFieldConfig } from '#platform/customization/index.js';
import { invalid } from './automation-steps.js';

/**
 * Triggers a day brings rather than an event: `contact.date_reached` (N days after or before
 * a contact's date) and `contact.birthday` (the date's day every year). Both are read in the
 * contact's own time zone.
 */
export const DATE_TRIGGERS = ['contact.date_reached', 'contact.birthday'] as const;
export type DateTriggerEvent = (typeof DATE_TRIGGERS)[number];

export interface DateTrigger {
  /** `birthdate`, `createdAt`, `firstOrderAt`, `lastOrderAt` or `customFields.<date field>`. */
  field: string;
  /** date_reached: days from the date, in `direction`. */
  days?: number;
  direction?: 'after' | 'before';
}

export const DATE_FIELDS = ['birthdate', 'createdAt', 'firstOrderAt', 'lastOrderAt'] as const;
const CUSTOM = /^customFields\.([a-z][A-Za-z0-9]{0,39})$/;

export const isDateTrigger = (event: unknown): event is DateTriggerEvent =>
  (DATE_TRIGGERS as readonly unknown[]).includes(event);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The date trigger's shape, or 422 at `/dateTrigger…`; null for an event trigger. */
export function checkDateTrigger(event: unknown, raw: unknown): DateTrigger | null {
  if (!isDateTrigger(event)) {
    if (raw !== undefined && raw !== null)
      throw invalid('/dateTrigger', `is only given with ${DATE_TRIGGERS.join(' or ')}`);
    return null;
  }
  if (event === 'contact.birthday' && (raw === undefined || raw === null))
    return { field: 'birthdate' };
  if (!isObject(raw)) throw invalid('/dateTrigger', `is required with ${event}`);
  const allowed = event === 'contact.birthday' ? ['field'] : ['field', 'days', 'direction'];
  for (const k of Object.keys(raw))
    if (!allowed.includes(k)) throw invalid(`/dateTrigger/${k}`, `is not a field of ${event}`);
  const field = raw.field ?? (event === 'contact.birthday' ? 'birthdate' : undefined);
  if (
    typeof field !== 'string' ||
    !((DATE_FIELDS as readonly string[]).includes(field) || CUSTOM.test(field))
  )
    throw invalid(
      '/dateTrigger/field',
      `must be one of ${DATE_FIELDS.join(', ')} or customFields.<a date field>`,
    );
  if (event === 'contact.birthday') return { field };
  if (!Number.isInteger(raw.days) || (raw.days as number) < 0 || (raw.days as number) > 3650)
    throw invalid('/dateTrigger/days', 'must be a whole number of days from 0 to 3650');
  if (raw.direction !== 'after' && raw.direction !== 'before')
    throw invalid('/dateTrigger/direction', 'must be after or before');
  return { field, days: raw.days as number, direction: raw.direction };
}

/** The custom field a trigger reads, when it is one that is not a date field of contacts. */
export function customFieldProblem(
  trigger: DateTrigger,
  fields: readonly CustomFieldConfig[],
): string | null {
  const code = CUSTOM.exec(trigger.field)?.[1];
  if (!code) return null;
  const f = fields.find((x) => x.code === code);
  if (!f) return `contacts have no custom field ${code}`;
  if (f.type !== 'date' && f.type !== 'datetime') return `${code} is a ${f.type} field, not a date`;
  return null;
}

/**
 * SQL of the contact's date, as a local date (`tz` is the SQL of the contact's time zone):
 * `c` is the contact, orders count unless deleted or cancelled.
 */
export function dateSql(trigger: DateTrigger, tz: string): string {
  const code = CUSTOM.exec(trigger.field)?.[1];
  if (code) {
    const v = `c.custom_fields->>'${code}'`;
    // Dates are stored as ISO text; a datetime's local day is the contact's.
    return `(CASE WHEN ${v} ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN (${v})::date
                  WHEN ${v} ~ '^\\d{4}-\\d{2}-\\d{2}T' THEN ((${v})::timestamptz AT TIME ZONE ${tz})::date END)`;
  }
  switch (trigger.field) {
    case 'birthdate':
      return 'c.birthdate';
    case 'createdAt':
      return `(c.created_at AT TIME ZONE ${tz})::date`;
    default: {
      const agg = trigger.field === 'firstOrderAt' ? 'min' : 'max';
      return `(SELECT (${agg}(o.ordered_at) AT TIME ZONE ${tz})::date FROM orders o
                WHERE o.contact_id = c.id AND o.deleted_at IS NULL AND o.status <> 'cancelled')`;
    }
  }
}
