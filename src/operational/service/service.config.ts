import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { WEEKDAYS, type CalendarSpec, type Weekday } from './calendars/business-calendar.js';

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** What a policy does when a case misses a target, once per target. */
export interface EscalationConfig {
  /** Moves the case to this queue (and leaves it unassigned unless `assigneeId` is set too). */
  readonly queueId?: string;
  /** Assigns the case to this user. */
  readonly assigneeId?: string;
  /** Raises the priority one step (low → normal → high → urgent). */
  readonly raisePriority?: boolean;
  /** Announces `case.escalated` for notification subscribers (webhooks, mail). */
  readonly notify?: boolean;
}

/** Targets for the cases a policy matches; the first policy that matches a case applies. */
export interface SlaPolicyConfig {
  readonly key: string;
  /** Empty or left out: any. A case matches when each given list contains its value. */
  readonly match: {
    readonly priorities?: readonly CasePriority[];
    readonly tiers?: readonly string[];
    readonly categories?: readonly string[];
  };
  readonly calendar: string;
  readonly firstResponseMinutes: number;
  readonly resolutionMinutes: number;
  /** Wall-clock minutes before a due time at which the case is at risk. */
  readonly warnBeforeMinutes: number;
  readonly escalation: EscalationConfig;
}

/** The `service` section: case categories, attachments, business calendars and SLA policies. */
export interface ServiceConfig {
  /** Values of a case's `category`. */
  readonly categories: readonly string[];
  readonly attachments: {
    /** Where uploaded files are kept, one file per content hash. */
    readonly directory: string;
    readonly maxBytes: number;
    /** MIME types accepted, as sniffed from the content (not the name or the declared type). */
    readonly allowedTypes: readonly string[];
  };
  readonly calendars: Readonly<Record<string, CalendarSpec>>;
  readonly sla: {
    /** Whether `on_hold` stops the clock like `pending_customer` does. */
    readonly pauseOnHold: boolean;
    /** Custom field of accounts holding the tier that policies match on. */
    readonly accountTierField: string;
    /** Cron of the run that warns before and escalates on breaches. */
    readonly checkSchedule: string;
    readonly policies: readonly SlaPolicyConfig[];
  };
}

const KEY = '^[a-z][a-z0-9_]{0,49}$';
const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$';
/** A uuid, for config values that name a record. */
export const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DAY = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

const stringList = (pattern: string, maxItems = 100) => ({
  type: 'array',
  maxItems,
  items: { type: 'string', pattern },
});

const OFFICE_HOURS: CalendarSpec['hours'] = Object.fromEntries(
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [['08:00', '17:00'] as const]]),
);

/** Targets by priority in business minutes, for a configuration that names no policies. */
const DEFAULT_TARGETS: Record<CasePriority, [number, number]> = {
  urgent: [60, 480],
  high: [240, 1_440],
  normal: [480, 2_880],
  low: [960, 4_800],
};

export const SERVICE_SECTION = defineConfigSection<ServiceConfig>({
  key: 'service',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      categories: { ...stringList(KEY, 200), minItems: 1 },
      attachments: {
        type: 'object',
        additionalProperties: false,
        properties: {
          directory: { type: 'string', minLength: 1, maxLength: 1000 },
          maxBytes: { type: 'integer', minimum: 1, maximum: 1_073_741_824 },
          allowedTypes: stringList('^[a-z]+/[a-z0-9.+-]+$'),
        },
      },
      calendars: {
        type: 'object',
        maxProperties: 50,
        propertyNames: { pattern: KEY },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['timeZone', 'hours'],
          properties: {
            timeZone: { type: 'string', minLength: 1, maxLength: 100 },
            hours: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                WEEKDAYS.map((d) => [
                  d,
                  {
                    type: 'array',
                    maxItems: 10,
                    items: {
                      type: 'array',
                      minItems: 2,
                      maxItems: 2,
                      items: { type: 'string', pattern: HHMM },
                    },
                  },
                ]),
              ),
            },
            holidays: {
              type: 'object',
              additionalProperties: false,
              properties: {
                country: { type: 'string', pattern: '^[A-Z]{2}$' },
                dates: stringList(DAY, 1000),
              },
            },
          },
        },
      },
      sla: {
        type: 'object',
        additionalProperties: false,
        properties: {
          pauseOnHold: { type: 'boolean' },
          accountTierField: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
          checkSchedule: { type: 'string', minLength: 9, maxLength: 100 },
          policies: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key', 'firstResponseMinutes', 'resolutionMinutes'],
              properties: {
                key: { type: 'string', pattern: KEY },
                match: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    priorities: {
                      type: 'array',
                      maxItems: 4,
                      items: { enum: [...CASE_PRIORITIES] },
                    },
                    tiers: stringList('^[A-Za-z0-9_-]{1,50}$'),
                    categories: stringList(KEY, 200),
                  },
                },
                calendar: { type: 'string', pattern: KEY },
                firstResponseMinutes: { type: 'integer', minimum: 1, maximum: 525_600 },
                resolutionMinutes: { type: 'integer', minimum: 1, maximum: 525_600 },
                warnBeforeMinutes: { type: 'integer', minimum: 0, maximum: 525_600 },
                escalation: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    queueId: { type: 'string', pattern: UUID },
                    assigneeId: { type: 'string', pattern: UUID },
                    raisePriority: { type: 'boolean' },
                    notify: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  resolve: (given, settings) => {
    const g = (given ?? {}) as {
      categories?: string[];
      attachments?: Partial<ServiceConfig['attachments']>;
      calendars?: Record<string, CalendarSpec>;
      sla?: Partial<Omit<ServiceConfig['sla'], 'policies'>> & {
        policies?: (Omit<
          SlaPolicyConfig,
          'match' | 'calendar' | 'warnBeforeMinutes' | 'escalation'
        > &
          Partial<SlaPolicyConfig>)[];
      };
    };
    const calendars = g.calendars ?? {
      default: { timeZone: settings.organization.timeZone, hours: OFFICE_HOURS },
    };
    const firstCalendar = Object.keys(calendars)[0] ?? 'default';
    const policies: SlaPolicyConfig[] = g.sla?.policies
      ? g.sla.policies.map((p) => ({
          match: {},
          calendar: firstCalendar,
          warnBeforeMinutes: 60,
          escalation: { notify: true },
          ...p,
        }))
      : CASE_PRIORITIES.map((priority) => ({
          key: priority,
          match: { priorities: [priority] },
          calendar: firstCalendar,
          firstResponseMinutes: DEFAULT_TARGETS[priority][0],
          resolutionMinutes: DEFAULT_TARGETS[priority][1],
          warnBeforeMinutes: 60,
          escalation: { notify: true },
        }));
    return {
      categories: g.categories ?? ['question', 'billing', 'technical', 'delivery', 'other'],
      attachments: {
        directory: g.attachments?.directory ?? './.data/attachments',
        maxBytes: g.attachments?.maxBytes ?? 10_485_760,
        allowedTypes: g.attachments?.allowedTypes ?? [
          'application/pdf',
          'image/png',
          'image/jpeg',
          'image/gif',
          'image/webp',
          'text/plain',
          'application/zip',
        ],
      },
      calendars,
      sla: {
        pauseOnHold: g.sla?.pauseOnHold ?? true,
        accountTierField: g.sla?.accountTierField ?? 'tier',
        checkSchedule: g.sla?.checkSchedule ?? '* * * * *',
        policies,
      },
    };
  },
  problems: (value) => {
    const out: string[] = [];
    for (const [key, cal] of Object.entries(value.calendars)) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: cal.timeZone });
      } catch {
        out.push(`/service/calendars/${key}/timeZone: ${cal.timeZone} is not an IANA time zone`);
      }
      for (const [day, spans] of Object.entries(cal.hours) as [Weekday, [string, string][]][])
        spans.forEach(([from, to], i) => {
          if (from >= to)
            out.push(`/service/calendars/${key}/hours/${day}/${i}: ${from} is not before ${to}`);
        });
      if (!WEEKDAYS.some((d) => (cal.hours[d] ?? []).length > 0))
        out.push(`/service/calendars/${key}/hours: no working hours on any weekday`);
    }
    const seen = new Set<string>();
    value.sla.policies.forEach((p, i) => {
      if (seen.has(p.key)) out.push(`/service/sla/policies/${i}/key: ${p.key} is used twice`);
      seen.add(p.key);
      if (!value.calendars[p.calendar])
        out.push(`/service/sla/policies/${i}/calendar: no calendar ${p.calendar}`);
      for (const c of p.match.categories ?? [])
        if (!value.categories.includes(c))
          out.push(`/service/sla/policies/${i}/match/categories: ${c} is not a case category`);
    });
    return out;
  },
});

/** The service desk's part of crm.config.yaml and the API paths it serves. */
export const SERVICE_CASES_CONFIG: ConfigComposition = {
  sections: [SERVICE_SECTION],
  reservedPaths: ['cases', 'queues', 'inbound'],
};
