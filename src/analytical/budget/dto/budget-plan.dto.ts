import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode, IsDecimalString, MoneyDto } from '#platform/records/index.js';

const KEY = { maxLength: 100, pattern: '^[A-Za-z0-9_.-]{1,100}$' };
const KEY_RE = /^[A-Za-z0-9_.-]{1,100}$/;
const DECIMAL = { type: 'string', maxLength: 30, pattern: '^\\d{1,15}(\\.\\d{1,10})?$' } as const;

export class PlanSegmentDto {
  @ApiProperty({ ...KEY, example: 'gold' })
  @IsString()
  @Matches(KEY_RE)
  key: string;

  @ApiProperty({
    minimum: 0,
    maximum: 100_000_000,
    example: 100,
    description: 'Contacts in the segment',
  })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  contacts: number;

  @ApiPropertyOptional({
    ...DECIMAL,
    example: '50',
    description: 'Spend at least this on the segment',
  })
  @IsOptional()
  @IsDecimalString()
  @MaxLength(30)
  minimumSpend?: string;
}

export class PlanChannelDto {
  @ApiProperty({ ...KEY, example: 'email' })
  @IsString()
  @Matches(KEY_RE)
  key: string;

  @ApiPropertyOptional({
    ...DECIMAL,
    example: '100',
    description: 'Spend at most this through the channel',
  })
  @IsOptional()
  @IsDecimalString()
  @MaxLength(30)
  cap?: string;
}

export class PlanCandidateDto {
  @ApiProperty({ ...KEY, example: 'gold' })
  @IsString()
  @Matches(KEY_RE)
  segment: string;

  @ApiProperty({ ...KEY, example: 'email' })
  @IsString()
  @Matches(KEY_RE)
  channel: string;

  @ApiPropertyOptional({
    ...DECIMAL,
    example: '0.2',
    description:
      'Responses per contact, 0 to 1; with the other two rates left out, measured from campaign history',
  })
  @IsOptional()
  @IsDecimalString()
  @MaxLength(30)
  responseRate?: string;

  @ApiPropertyOptional({
    ...DECIMAL,
    example: '100',
    description: 'Margin a response brings; left out, measured from campaign history',
  })
  @IsOptional()
  @IsDecimalString()
  @MaxLength(30)
  marginPerResponse?: string;

  @ApiPropertyOptional({
    ...DECIMAL,
    example: '1',
    description: 'What reaching one contact costs; left out, measured from campaign history',
  })
  @IsOptional()
  @IsDecimalString()
  @MaxLength(30)
  costPerContact?: string;
}

export class BudgetPlanRequestDto {
  @ApiProperty({
    maxLength: 3,
    example: 'IDR',
    description: 'Currency of every amount given and answered',
  })
  @IsCurrencyCode()
  currency: string;

  @ApiProperty({ ...DECIMAL, example: '600' })
  @IsDecimalString()
  @MaxLength(30)
  totalBudget: string;

  @ApiProperty({
    minimum: 0,
    maximum: 1000,
    example: 1,
    description: 'Contacts a person may get in the period',
  })
  @IsInt()
  @Min(0)
  @Max(1000)
  frequencyCap: number;

  @ApiProperty({ type: [PlanSegmentDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PlanSegmentDto)
  segments: PlanSegmentDto[];

  @ApiProperty({ type: [PlanChannelDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanChannelDto)
  channels: PlanChannelDto[];

  @ApiProperty({ type: [PlanCandidateDto], minItems: 1, maxItems: 2000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => PlanCandidateDto)
  candidates: PlanCandidateDto[];
}

export class RateSampleDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    example: 40,
    description: 'Campaign members measured',
  })
  contacts: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2147483647,
    example: 10,
    description: 'Of them, the ones who responded',
  })
  responses: number;
}

export class PlanRatesDto {
  @ApiProperty({ ...DECIMAL, example: '0.25' }) responseRate: string;
  @ApiProperty({ ...DECIMAL, example: '100' }) marginPerResponse: string;
  @ApiProperty({ ...DECIMAL, example: '10' }) costPerContact: string;
  @ApiProperty({
    enum: ['given', 'history'],
    example: 'history',
    description: 'Given in the request, or measured from campaign history',
  })
  source: 'given' | 'history';
  @ApiPropertyOptional({ type: RateSampleDto, description: 'What history measured (history only)' })
  sample?: RateSampleDto;
}

export class PlanLineDto {
  @ApiProperty({ maxLength: 100 }) segment: string;
  @ApiProperty({ maxLength: 100 }) channel: string;
  @ApiProperty({ ...DECIMAL, example: '50.00', description: 'Contacts to reach' }) contacts: string;
  @ApiProperty({ type: MoneyDto }) spend: MoneyDto;
  @ApiProperty({ ...DECIMAL, example: '10.00' }) expectedResponses: string;
  @ApiProperty({ type: MoneyDto }) expectedRevenue: MoneyDto;
  @ApiProperty({ type: PlanRatesDto, description: 'The rates the line was planned with' })
  rates: PlanRatesDto;
}

export class BudgetPlanDto {
  @ApiProperty({ maxLength: 3, example: 'IDR' }) currency: string;
  @ApiProperty({ type: [PlanLineDto], maxItems: 2000 }) plan: PlanLineDto[];
  @ApiProperty({ type: MoneyDto, description: 'Σ contacts × response rate × margin' })
  expectedRevenue: MoneyDto;
  @ApiProperty({ type: MoneyDto }) cost: MoneyDto;
  @ApiProperty({ type: MoneyDto }) expectedProfit: MoneyDto;
  @ApiProperty({
    type: [String],
    maxItems: 2000,
    items: { type: 'string', maxLength: 200 },
    example: ['totalBudget', 'channels[email].cap'],
    description: 'Constraints the plan meets exactly: relaxing one of them could raise the profit',
  })
  bindingConstraints: string[];
}
