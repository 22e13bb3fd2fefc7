import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import { MoneyDto } from '#platform/records/index.js';

export const COST_KINDS = ['planned', 'actual'] as const;

export class CreateCampaignCostDto {
  @ApiProperty({ enum: COST_KINDS }) @IsIn(COST_KINDS) kind: string;

  @ApiProperty({ maxLength: 100, example: 'venue' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  category: string;

  @ApiProperty({ type: MoneyDto, description: "In the campaign's currency" })
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount: MoneyDto;

  @ApiProperty({ type: 'string', format: 'date', maxLength: 10, example: '2026-03-01' })
  @IsCalendarDate()
  incurredOn: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class CampaignCostDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: COST_KINDS }) kind: string;
  @ApiProperty({ maxLength: 100 }) category: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty({ format: 'date' }) incurredOn: string;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CostTotalsDto {
  @ApiProperty({ type: MoneyDto }) planned: MoneyDto;
  @ApiProperty({ type: MoneyDto }) actual: MoneyDto;
}

export class CampaignCostListDto {
  @ApiProperty({ type: [CampaignCostDto], maxItems: 10000 }) data: CampaignCostDto[];
  @ApiProperty({ type: CostTotalsDto }) totals: CostTotalsDto;
}
