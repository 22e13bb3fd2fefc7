import { declareEvent } from '#platform/events/index.js';

/**
 * `report.run.delivered`: a run was pushed to these users' inboxes (and e-mailed when the
 * report says so). Notifications and webhooks subscribe to it; the run's export is at
 * /api/v1/reports/{reportId}/runs/{runId}/export.
 */
export interface ReportRunDeliveredPayload {
  reportId: string;
  runId: string;
  userIds: string[];
  name: string;
  rowCount: number;
}

/** `report.run.failed`: a scheduled run could not be made (the owner lost access, a bad query…). */
export interface ReportRunFailedPayload {
  reportId: string;
  runId: string;
  error: string;
}

export const REPORT_RUN_DELIVERED = declareEvent<ReportRunDeliveredPayload>(
  'report.run.delivered',
  'reports',
);
export const REPORT_RUN_FAILED = declareEvent<ReportRunFailedPayload>(
  'report.run.failed',
  'reports',
);
