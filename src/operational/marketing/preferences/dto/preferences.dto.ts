import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '#platform/http/index.js';
import { ConsentDto } from './consent.dto.js';

export const CHANNELS = ['email', 'sms', 'phone', 'whatsapp', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_STATES = ['opted_in', 'opted_out', 'unset'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];
const LOCAL_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** Each channel's state; a channel left out keeps its state. */
export class ChannelStatesInput {
  @ApiPropertyOptional({ enum: CHANNEL_STATES, example: 'opted_in' })
  @IsOptional()
  @IsIn(CHANNEL_STATES)
  email?: ChannelState;

  @ApiPropertyOptional({ enum: CHANNEL_STATES, example: 'opted_out' })
  @IsOptional()
  @IsIn(CHANNEL_STATES)
  sms?: ChannelState;

  @ApiPropertyOptional({ enum: CHANNEL_STATES })
  @IsOptional()
  @IsIn(CHANNEL_STATES)
  phone?: ChannelState;

  @ApiPropertyOptional({ enum: CHANNEL_STATES })
  @IsOptional()
  @IsIn(CHANNEL_STATES)
  whatsapp?: ChannelState;

  @ApiPropertyOptional({ enum: CHANNEL_STATES })
  @IsOptional()
  @IsIn(CHANNEL_STATES)
  post?: ChannelState;
}

export class ChannelStatesDto {
  @ApiProperty({ enum: CHANNEL_STATES }) email: ChannelState;
  @ApiProperty({ enum: CHANNEL_STATES }) sms: ChannelState;
  @ApiProperty({ enum: CHANNEL_STATES }) phone: ChannelState;
  @ApiProperty({ enum: CHANNEL_STATES }) whatsapp: ChannelState;
  @ApiProperty({ enum: CHANNEL_STATES }) post: ChannelState;
}

export class QuietHoursDto {
  @ApiProperty({ type: 'string', pattern: LOCAL_TIME.source, maxLength: 5, example: '21:00' })
  @IsString()
  @Matches(LOCAL_TIME, { message: 'start must be a local time HH:MM' })
  start: string;

  @ApiProperty({ type: 'string', pattern: LOCAL_TIME.source, maxLength: 5, example: '08:00' })
  @IsString()
  @Matches(LOCAL_TIME, { message: 'end must be a local time HH:MM' })
  end: string;
}

export class FrequencyCapDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(1000)
  max: number;

  @ApiProperty({ enum: ['week', 'month'], example: 'week' })
  @IsIn(['week', 'month'])
  per: 'week' | 'month';
}

/**
 * What a contact wants: a field left out keeps its value; `null` clears an optional one.
 * Topics are the keys of `marketing.topics` in crm.config.yaml.
 */
export class UpdatePreferencesDto {
  @ApiPropertyOptional({ type: ChannelStatesInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelStatesInput)
  channels?: ChannelStatesInput;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 50 },
    maxItems: 100,
    example: ['newsletter', 'events'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  topics?: string[];

  @ApiPropertyOptional({ enum: CHANNELS, nullable: true, example: 'email' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(CHANNELS)
  preferredChannel?: Channel | null;

  @ApiPropertyOptional({ enum: ['en', 'id'], nullable: true, example: 'id' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(['en', 'id'])
  language?: 'en' | 'id' | null;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 64,
    nullable: true,
    example: 'Asia/Jakarta',
    description:
      "IANA zone the quiet hours are read in; null: the contact's, else the organization's",
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ type: FrequencyCapDto, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => FrequencyCapDto)
  frequencyCap?: FrequencyCapDto | null;

  @ApiPropertyOptional({
    type: 'boolean',
    example: false,
    description: 'true stops all marketing to the contact; false takes that back',
  })
  @IsOptional()
  @IsBoolean()
  unsubscribed?: boolean;
}

export class PreferencesDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: ChannelStatesDto }) channels: ChannelStatesDto;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 100 })
  topics: string[];
  @ApiProperty({ enum: CHANNELS, nullable: true }) preferredChannel: Channel | null;
  @ApiProperty({ enum: ['en', 'id'], nullable: true }) language: 'en' | 'id' | null;
  @ApiProperty({ type: 'string', maxLength: 64, nullable: true }) timeZone: string | null;
  @ApiProperty({
    type: 'string',
    maxLength: 64,
    description: 'The zone quiet hours are read in: timeZone, the contact’s, or the organization’s',
  })
  effectiveTimeZone: string;
  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours: QuietHoursDto | null;
  @ApiProperty({ type: FrequencyCapDto, nullable: true }) frequencyCap: FrequencyCapDto | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  unsubscribedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  emailBouncedAt: string | null;
  @ApiProperty({
    type: [ConsentDto],
    maxItems: 1000,
    description: 'Consents given and not withdrawn',
  })
  consents: ConsentDto[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    description: '0 until anything was set',
  })
  version: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) updatedAt: string | null;
}
