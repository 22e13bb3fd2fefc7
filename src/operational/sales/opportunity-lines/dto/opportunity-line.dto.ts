import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PRICE_SOURCES } from '#operational/catalog/index.js';
import {
  IsDecimalString,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
} from '#platform/records/index.js';

export class CreateOpportunityLineDto {
  @ApiProperty({ format: 'uuid', description: 'Set once; the caller must be able to update it' })
  @IsNotEmpty()
  @IsUUID('all')
  opportunityId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Set once; an active product available today. Required without configurationId; with it, the configuration's product (taken from it when left out)",
  })
  @IsOptional()
  @IsUUID('all')
  productId?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      "A saved product configuration the line sells, in the opportunity's currency: unless unitPrice is given, the line's unit price is the configuration's total priced today over its configured quantity, rounded to the minor unit. Set on creation.",
  })
  @IsOptional()
  @IsUUID('all')
  configurationId?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ type: 'string', example: '3', maxLength: 26, description: 'More than zero' })
  @IsString()
  @IsDecimalString()
  quantity: string;

  @ApiPropertyOptional({
    type: MoneyDto,
    nullable: true,
    example: { amount: '12500000.00', currency: 'IDR' },
    description:
      "In the opportunity's currency; without it (or null) the price comes from the price books of that currency",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  unitPrice?: MoneyDto | null;

  @ApiPropertyOptional({
    type: 'string',
    example: '10',
    default: '0',
    maxLength: 26,
    description: 'Percent off the unit price, 0 to 100',
  })
  @IsOptional()
  @IsString()
  @IsDecimalString()
  discountPercent?: string;

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
