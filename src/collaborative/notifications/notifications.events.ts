/**
 * Kinds of notification, each fed by domain events of other modules:
 * - `mention`: `thread.message_posted` naming the user;
 * - `assignment`: `case.assigned`, `lead.assigned`, an owner change of a record;
 * - `approval`: `quote.status_changed` into review (the owner's manager decides) or out of it;
 * - `sla_warning`: `case.sla_at_risk`, `case.sla_breached`;
 * - `report`: `report.run.delivered` { reportId, runId, userIds }.
 * Notifications announce no domain event of their own; the live stream carries them.
 */
export const NOTIFICATION_KINDS = [
  'mention',
  'assignment',
  'approval',
  'sla_warning',
  'report',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'off'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** `report.run.delivered`, as the reports module announces a pushed run. */
export interface ReportRunDeliveredPayload {
  reportId: string;
  runId: string;
  userIds: string[];
  name?: string;
}
