import { adminField } from '#platform/access/admin-list.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import {
  DELIVERY_STATUSES,
  DELIVERY_TRIGGERS,
  type WebhookDeliveryDto,
} from './dto/webhook-delivery.dto.js';
import type { DeliveryRow } from './webhook-deliveries.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentDelivery(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    webhookId: r.subscription_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attempt: r.attempt,
    trigger: r.trigger,
    status: r.status,
    scheduledAt: r.scheduled_at.toISOString(),
    attemptedAt: iso(r.attempted_at),
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.error,
    durationMs: r.duration_ms,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Delivery rows are never soft-deleted: the list reads the table as it is. */
export const DELIVERY_SCHEMA: QuerySchema = {
  entity: 'webhook_deliveries',
  table: 'webhook_deliveries',
  softDelete: false,
  alias: 'd',
  fields: new Map([
    adminField('id', 'd.id', 'uuid', { sortable: true }),
    adminField('eventId', 'd.event_id', 'uuid'),
    adminField('eventType', 'd.event_type', 'string', { sortable: true }),
    adminField('attempt', 'd.attempt', 'integer', { sortable: true }),
    adminField('trigger', 'd.trigger', 'enum', { values: DELIVERY_TRIGGERS }),
    adminField('status', 'd.status', 'enum', { values: DELIVERY_STATUSES }),
    adminField('responseStatus', 'd.response_status', 'integer', { nullable: true }),
    adminField('scheduledAt', 'd.scheduled_at', 'datetime', { sortable: true }),
    adminField('attemptedAt', 'd.attempted_at', 'datetime', { nullable: true, sortable: true }),
    adminField('createdAt', 'd.created_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: null,
  defaultSort: '-createdAt',
  ownerColumn: null,
  teamColumn: null,
};

export const DELIVERY_FIELDS = [
  'id',
  'webhookId',
  'eventId',
  'eventType',
  'attempt',
  'trigger',
  'status',
  'scheduledAt',
  'attemptedAt',
  'responseStatus',
  'responseBody',
  'error',
  'durationMs',
  'createdAt',
  'updatedAt',
] satisfies (keyof WebhookDeliveryDto)[];
