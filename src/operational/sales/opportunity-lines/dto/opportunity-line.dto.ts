import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PRICE_SOURCES, SalesLineInputDto } from '#operational/catalog/index.js';
import { MoneyDto, RecordResponse, CustomFieldsInput } from '#platform/records/index.js';

export class CreateOpportunityLineDto extends SalesLineInputDto {
  @ApiProperty({ format: 'uuid', description: 'Set once; the caller must be able to update it' })
  @IsNotEmpty()
  @IsUUID('all')
  opportunityId: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ example: 1, minimum: 0, maximum: 10000, description: 'Display order' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;

  @CustomFieldsInput('opportunity-lines')
  customFields?: Record<string, unknown>;
}

export class UpdateOpportunityLineDto extends PartialType(
  OmitType(CreateOpportunityLineDto, ['opportunityId', 'productId', 'configurationId'] as const),
) {}

export class OpportunityLineDto extends RecordResponse(CreateOpportunityLineDto) {
  @ApiProperty({ type: MoneyDto, description: 'quantity × unitPrice − discount, rounded' })
  total: MoneyDto;

  @ApiProperty({ type: MoneyDto }) declare unitPrice: MoneyDto;
  @ApiProperty({
    type: 'string',
    enum: PRICE_SOURCES,
    description:
      '`price_book`: the books priced the line, and price it again when only its quantity changes (volume tiers); `manual`: the price was given and stays as given',
  })
  priceSource: string;
  @ApiProperty({ type: 'string', example: '0' }) declare discountPercent: string;
  @ApiProperty({ example: 0 }) declare position: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) teamId: string | null;
}
