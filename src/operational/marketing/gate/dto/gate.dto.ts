import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsInstant, ListMetaDto } from '#platform/records/index.js';
import { CHANNELS, type Channel } from '../../preferences/dto/preferences.dto.js';
import { HOLD_BACK_REASONS, type HoldBackReason } from '../marketing-gate.js';

export class GateCheckDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  contactId: string;

  @ApiProperty({ enum: CHANNELS, example: 'email' })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiPropertyOptional({ type: 'string', maxLength: 50, example: 'newsletter', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  topic?: string | null;

  @ApiProperty({ type: 'string', maxLength: 50, example: 'marketing' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,49}$/, {
    message: 'purpose must be lower-case letters, digits and _',
  })
  purpose: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    description: 'When the message would go out; default now',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  at?: string;
}

export class GateDecisionDto {
  @ApiProperty() allowed: boolean;
  @ApiPropertyOptional({ enum: HOLD_BACK_REASONS }) reason?: HoldBackReason;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true })
  nextAllowedAt?: string | null;
  @ApiPropertyOptional({ type: 'string', format: 'uuid' }) holdBackId?: string;
}

export class HoldBackDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ type: 'string', maxLength: 50, nullable: true }) topic: string | null;
  @ApiProperty({ type: 'string', maxLength: 50 }) purpose: string;
  @ApiProperty({ enum: HOLD_BACK_REASONS }) reason: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'For quiet hours and caps: when the message may go',
  })
  nextAllowedAt: string | null;
  @ApiProperty({ type: 'string', maxLength: 200, nullable: true, example: 'campaign:0192…' })
  sourceKey: string | null;
  @ApiProperty({ format: 'date-time', description: 'The moment the message was checked for' })
  checkedFor: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class HoldBackPageDto {
  @ApiProperty({ type: [HoldBackDto], maxItems: 500 }) data: HoldBackDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
