import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '#platform/records/index.js';
import { MEMBER_STATUSES } from '../campaign-member-status.js';

/** A new lead a response brings; its source is `campaign`. */
export class ResponseLeadDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;
  @ApiPropertyOptional({ maxLength: 100, description: 'Required when company is empty' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;
  @ApiPropertyOptional({ maxLength: 254, example: 'rina@example.co.id' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;
}

export class CampaignResponseDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A contact who answered; or give lead' })
  @IsOptional()
  @IsUUID('all')
  contactId?: string;

  @ApiPropertyOptional({ type: ResponseLeadDto, description: 'Someone new: becomes a lead' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResponseLeadDto)
  lead?: ResponseLeadDto;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CampaignResponseResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) respondedAt: string;
}

export const ATTRIBUTABLE = ['opportunities', 'orders'] as const;

export class CampaignAttributionDto {
  @ApiProperty({ enum: ATTRIBUTABLE }) @IsIn(ATTRIBUTABLE) entity: string;
  @ApiProperty({ format: 'uuid' }) @IsNotEmpty() @IsUUID('all') recordId: string;
}

export class AttributionDto {
  @ApiProperty({ enum: ATTRIBUTABLE }) entity: string;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ enum: ['response', 'explicit'] }) source: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AttributionListDto {
  @ApiProperty({ type: [AttributionDto], maxItems: 100000 }) data: AttributionDto[];
}

export class CallTasksDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 50,
    description: 'Callers, in turn',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  userIds: string[];

  @ApiPropertyOptional({
    enum: MEMBER_STATUSES,
    default: 'targeted',
    description: 'Members to call',
  })
  @IsOptional()
  @IsIn(MEMBER_STATUSES)
  memberStatus?: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  dueAt?: string;
}

export class CallTaskDto {
  @ApiProperty({ format: 'uuid' }) activityId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
}

export class CallTaskListDto {
  @ApiProperty({ type: [CallTaskDto], maxItems: 1000 }) data: CallTaskDto[];
}
