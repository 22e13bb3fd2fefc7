import { ApiProperty } from '@nestjs/swagger';
import { HOLD_BACK_REASONS } from '../../gate/marketing-gate.js';

export const DELIVERY_OUTCOMES = ['queued', 'duplicate', 'held', 'skipped'] as const;

export class CampaignSendProgressDto {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) requestedAt: string | null;
  @ApiProperty({ example: 1200 }) members: number;
  @ApiProperty({ example: 300, description: 'Members the send has not reached yet' })
  pending: number;
  @ApiProperty({ example: 850, description: 'Messages queued for delivery' }) queued: number;
  @ApiProperty({ example: 40, description: 'Held back by the marketing gate' }) held: number;
  @ApiProperty({
    example: 10,
    description:
      'Not rendered: the contact was deleted, or a merge field had no value under `skip`',
  })
  skipped: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 100000000 },
    example: { no_consent: 30, unsubscribed: 10 },
    description: `Held and skipped members by reason: ${HOLD_BACK_REASONS.join(', ')}, contact_deleted, missing_field:<field>`,
  })
  heldByReason: Record<string, number>;
}

export class CampaignDeliveryDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: DELIVERY_OUTCOMES }) outcome: string;
  @ApiProperty({ type: 'string', maxLength: 500, nullable: true, example: 'no_consent' })
  reason: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) messageId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) holdBackId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The variant sent' })
  templateId: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class CampaignDeliveryPageMetaDto {
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 36 }) nextCursor: string | null;
}

export class CampaignDeliveryPageDto {
  @ApiProperty({ type: [CampaignDeliveryDto], maxItems: 500 }) data: CampaignDeliveryDto[];
  @ApiProperty({ type: CampaignDeliveryPageMetaDto }) meta: CampaignDeliveryPageMetaDto;
}
