import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `notifications` section: the digest e-mail's schedule and sender. */
export interface NotificationsConfig {
  /** Cron (organization time zone) of the digest run; each user who asked gets one mail. */
  readonly digestSchedule: string;
  /** Sender of notification and digest mails. */
  readonly from: string;
  /** Link to the inbox in a front end, put in mails. */
  readonly inboxUrl: string | null;
}

export const NOTIFICATIONS_SECTION = defineConfigSection<NotificationsConfig>({
  key: 'notifications',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      digestSchedule: { type: 'string', minLength: 9, maxLength: 100 },
      from: { type: 'string', minLength: 3, maxLength: 300 },
      inboxUrl: { type: 'string', pattern: '^https?://', maxLength: 1000 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<NotificationsConfig>;
    return {
      digestSchedule: g.digestSchedule ?? '0 7 * * *',
      from: g.from ?? 'Relasi <notifications@relasi.invalid>',
      inboxUrl: g.inboxUrl ?? null,
    };
  },
});

export const NOTIFICATIONS_CONFIG: ConfigComposition = {
  sections: [NOTIFICATIONS_SECTION],
  reservedPaths: [],
};
