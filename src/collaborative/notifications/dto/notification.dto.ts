import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { ListMetaDto } from '#platform/records/index.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
} from '../notifications.events.js';

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: string;
  @ApiProperty({ maxLength: 300, example: 'Budi mentioned you in "Delivery of SO-2026-000123"' })
  title: string;
  @ApiProperty({ type: 'string', maxLength: 100, nullable: true, example: 'cases' })
  entity: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) recordId: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the kind carries (thread and message ids, SLA target, report run …)',
  })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], maxItems: 500 }) data: NotificationDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class NotificationCountDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647, example: 3 }) unread: number;
}

export class ReadAllResultDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    description: 'How many were marked read',
  })
  marked: number;
}

/** One channel per kind; a kind left out keeps what it had. */
export class KindChannelsDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  mention?: NotificationChannel;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  assignment?: NotificationChannel;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  approval?: NotificationChannel;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  sla_warning?: NotificationChannel;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  report?: NotificationChannel;
}

export class PutNotificationSettingsDto {
  @ApiPropertyOptional({
    type: KindChannelsDto,
    description: '`in_app`: the inbox; `email`: the inbox and an e-mail; `off`: nothing',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => KindChannelsDto)
  kinds?: KindChannelsDto;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'One e-mail per digest run with what is unread since the last one',
  })
  @IsOptional()
  @IsBoolean()
  digest?: boolean;
}

export class NotificationSettingsDto {
  @ApiProperty({ type: KindChannelsDto }) kinds: Required<KindChannelsDto>;
  @ApiProperty({ type: 'boolean' }) digest: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastDigestAt: string | null;
}
