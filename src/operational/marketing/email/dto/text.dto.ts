import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { SendEmailDto } from './message.dto.js';
import { TEXT_CHANNELS } from '../../marketing.config.js';

export const DELIVERY_STATUSES = [
  'accepted',
  'delivered',
  'undelivered',
  'failed',
  'read',
] as const;

export class SendTextDto extends OmitType(SendEmailDto, ['subject', 'html', 'text'] as const) {
  @ApiProperty({ enum: TEXT_CHANNELS, example: 'sms' })
  @IsIn(TEXT_CHANNELS)
  channel: (typeof TEXT_CHANNELS)[number];

  @ApiProperty({ type: 'string', maxLength: 1600, example: 'Our June webinar starts at 10:00.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1600)
  text: string;
}

export class TextStatusDto {
  @ApiProperty({
    type: 'string',
    maxLength: 200,
    example: 'SM0192f0000000',
    description: "The provider's id of the message, or ours (sent as `{{reference}}`)",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference: string;

  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' })
  @IsIn(DELIVERY_STATUSES)
  status: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ type: 'string', maxLength: 1000, example: 'handset unreachable' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  error?: string;
}
