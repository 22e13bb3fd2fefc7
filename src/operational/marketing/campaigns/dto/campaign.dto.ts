import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  CustomFieldsInput,
  MoneyDto,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES } from '../campaign.definition.js';

export class CreateCampaignDto {
  @ApiProperty({ maxLength: 200, example: 'Laptop trade-in, Q1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 5000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ enum: CAMPAIGN_TYPES })
  @IsIn(CAMPAIGN_TYPES)
  type: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, nullable: true, example: 'newsletter' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  channel?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date', maxLength: 10, nullable: true })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    maxLength: 10,
    nullable: true,
    description: 'Not before startsOn',
  })
  @IsOptional()
  @IsCalendarDate()
  endsOn?: string | null;

  @ApiPropertyOptional({
    type: MoneyDto,
    nullable: true,
    description:
      'Above its currency’s `campaigns.approvalThresholds` the campaign needs approval before it starts; changes only while planned',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  budget?: MoneyDto | null;

  @ApiPropertyOptional({ type: MoneyDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  expectedRevenue?: MoneyDto | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  parentCampaignId?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The message template an e-mail campaign sends (`POST /campaigns/{id}/send`)',
  })
  @IsOptional()
  @IsUUID('all')
  templateId?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('campaigns')
  customFields?: Record<string, unknown>;
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}

export class CampaignDto extends RecordResponse(CreateCampaignDto) {
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status: string;
  @ApiProperty({ description: 'The budget is above its currency’s approval threshold' })
  approvalRequired: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) approvedById: string | null;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}
