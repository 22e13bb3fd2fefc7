import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '#platform/records/index.js';

/** What a carrier reports about a shipment. */
export const TRACKING_STATUSES = [
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'returned_to_sender',
  'exception',
] as const;

export class CreateTrackingEventDto {
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    example: '2026-05-04T09:30:00+07:00',
  })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  occurredAt: string;

  @ApiProperty({ enum: TRACKING_STATUSES, example: 'in_transit' })
  @IsIn(TRACKING_STATUSES)
  status: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, example: 'JNE' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  carrier?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, example: 'JNE1234567890' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  trackingNumber?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 200, example: 'Surabaya sorting centre' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class TrackingEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ enum: TRACKING_STATUSES }) status: string;
  @ApiProperty({ type: 'string', maxLength: 100, nullable: true }) carrier: string | null;
  @ApiProperty({ type: 'string', maxLength: 100, nullable: true }) trackingNumber: string | null;
  @ApiProperty({ type: 'string', maxLength: 200, nullable: true }) location: string | null;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) note: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TrackingEventListDto {
  @ApiProperty({ type: [TrackingEventDto], maxItems: 10000 }) data: TrackingEventDto[];
}
