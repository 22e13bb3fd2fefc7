import { ApiProperty } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

export const DELIVERY_STATUSES = ['pending', 'success', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_TRIGGERS = ['event', 'retry', 'resend', 'ping'] as const;
export type DeliveryTrigger = (typeof DELIVERY_TRIGGERS)[number];

/** One attempt to deliver one event to one webhook. */
export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e30' }) id: string;
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' })
  webhookId: string;
  @ApiProperty({
    format: 'uuid',
    example: '0192f3a1-6b1d-7d41-9a55-3f1f0c9b8e10',
    description: 'The event id, sent as `webhook-id` on every attempt for this event',
  })
  eventId: string;
  @ApiProperty({ maxLength: 100, example: 'contact.created' }) eventType: string;
  @ApiProperty({ example: 2, description: 'Attempt number for this event and webhook' })
  attempt: number;
  @ApiProperty({
    enum: DELIVERY_TRIGGERS,
    example: 'retry',
    description:
      '`event`: first attempt; `retry`: automatic retry; `resend`: asked for by an admin; `ping`: a test an admin sent',
  })
  trigger: DeliveryTrigger;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    example: 'failed',
    description:
      '`pending`: due at scheduledAt; `cancelled`: not sent because the webhook was paused, disabled or deleted meanwhile',
  })
  status: DeliveryStatus;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:30.000Z' }) scheduledAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-03-01T09:30:30.120Z',
  })
  attemptedAt: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 500,
    description: 'HTTP status of the answer',
  })
  responseStatus: number | null;
  @ApiProperty({
    maxLength: 10000,
    type: String,
    nullable: true,
    example: '{"error":"database unavailable"}',
    description: 'First 1 KB of the answer',
  })
  responseBody: string | null;
  @ApiProperty({
    maxLength: 10000,
    type: String,
    nullable: true,
    example: null,
    description: 'Network error or refusal',
  })
  error: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 118 }) durationMs: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:30.240Z' }) updatedAt: string;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], maxItems: 500 }) data: WebhookDeliveryDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
