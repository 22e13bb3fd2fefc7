import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import {
  FORECAST_CATEGORIES,
  FORECAST_CATEGORY_OVERRIDES,
} from '../../forecasts/forecast-category.js';
import { CONTACT_ROLES, OPPORTUNITY_STATUSES } from '../opportunity.definition.js';
import { IsCalendarDate } from '#platform/http/index.js';

const KEY = /^[a-z][a-z0-9_]{0,49}$/;

export class ContactRoleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  contactId: string;

  @ApiProperty({ enum: CONTACT_ROLES, example: 'decision_maker' })
  @IsIn(CONTACT_ROLES)
  role: string;
}

export class CreateOpportunityDto {
  @ApiProperty({ example: 'ERP rollout 2026', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The account the deal is with' })
  @IsNotEmpty()
  @IsUUID('all')
  accountId: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  primaryContactId?: string | null;

  @ApiPropertyOptional({ type: [ContactRoleDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactRoleDto)
  contactRoles?: ContactRoleDto[];

  @ApiPropertyOptional({ type: MoneyDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto | null;

  @ApiPropertyOptional({
    example: 50,
    minimum: 0,
    maximum: 100,
    description: "Percent; defaults to the stage's probability whenever the stage changes",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number;

  @ApiPropertyOptional({
    enum: FORECAST_CATEGORY_OVERRIDES,
    nullable: true,
    example: 'commit',
    description:
      "The owner's call on an open opportunity, instead of what its stage and probability say; null follows them again. Cleared when the opportunity closes.",
  })
  @IsOptional()
  @IsIn(FORECAST_CATEGORY_OVERRIDES)
  forecastCategoryOverride?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: '2026-09-30',
    format: 'date',
    nullable: true,
    description:
      'Places the opportunity in a forecast period and picks the exchange rate its amount is converted by',
  })
  @IsOptional()
  @IsCalendarDate()
  expectedCloseDate?: string | null;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'sales',
    description: 'Pipeline key (GET /api/v1/pipelines); defaults to the default pipeline',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KEY, { message: 'pipeline must be a pipeline key' })
  pipeline?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'qualification',
    description: "Stage key of the pipeline; defaults to the pipeline's first open stage",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KEY, { message: 'stage must be a stage key' })
  stage?: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: 'Demo for the IT team on Thursday',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  nextStep?: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 200 },
    example: ['PT Pesaing'],
    maxItems: 20,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  competitors?: string[];

  @ApiPropertyOptional({
    type: 'string',
    example: 'price',
    maxLength: 500,
    nullable: true,
    description: 'Required in a lost stage',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPicklistValue('opportunities', 'lostReason')
  lostReason?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('opportunities')
  customFields?: Record<string, unknown>;
}

export class UpdateOpportunityDto extends PartialType(CreateOpportunityDto) {}

export class OpportunityDto extends RecordResponse(CreateOpportunityDto) {
  @ApiProperty({ type: [ContactRoleDto], maxItems: 50 }) declare contactRoles: ContactRoleDto[];
  @ApiProperty({ example: 10 }) declare probability: number;
  @ApiProperty({
    enum: FORECAST_CATEGORIES,
    example: 'pipeline',
    description:
      "Set by the server: won is closed, lost is omitted; an open one takes forecastCategoryOverride, else its stage's category, else the category its probability reaches (forecasting in crm.config.yaml)",
  })
  forecastCategory: string;
  @ApiProperty({ enum: FORECAST_CATEGORY_OVERRIDES, nullable: true, example: null })
  declare forecastCategoryOverride: string | null;
  @ApiProperty({ maxLength: 100, example: 'sales' }) declare pipeline: string;
  @ApiProperty({ maxLength: 100, example: 'qualification' }) declare stage: string;
  @ApiProperty({
    enum: OPPORTUNITY_STATUSES,
    description: 'The kind of the current stage: open, or closed as won or lost',
  })
  status: string;
  @ApiProperty({ format: 'date-time', description: 'When the opportunity entered its stage' })
  stageChangedAt: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Set in a won or lost stage',
  })
  closedAt: string | null;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 20 })
  declare competitors: string[];
}

export class StageHistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 100, example: 'sales' }) pipeline: string;
  @ApiProperty({ maxLength: 100, example: 'proposal' }) stage: string;
  @ApiProperty({ enum: OPPORTUNITY_STATUSES }) status: string;
  @ApiProperty({ maxLength: 100, type: 'string', example: 'qualification', nullable: true })
  fromStage: string | null;
  @ApiProperty({ maxLength: 100, type: 'string', example: 'sales', nullable: true }) fromPipeline:
    string | null;
  @ApiProperty({ example: 50 }) probability: number;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'The amount when it entered' })
  amount: MoneyDto | null;
  @ApiProperty({ format: 'date-time' }) enteredAt: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Null while still in it',
  })
  leftAt: string | null;
  @ApiProperty({ example: 86400, description: 'Time in the stage, up to now while still in it' })
  secondsInStage: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) actorId: string | null;
}

export class StageHistoryPageDto {
  @ApiProperty({ type: [StageHistoryEntryDto], maxItems: 500 }) data: StageHistoryEntryDto[];
  @ApiProperty({
    example: { nextCursor: null, limit: 100 },
    description: 'Oldest first; pass nextCursor as cursor for more',
  })
  meta: { nextCursor: string | null; limit: number };
}
