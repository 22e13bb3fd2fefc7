import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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
import {
  IsDecimalString,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
} from '#platform/records/index.js';
import { PRICE_SOURCES } from '#operational/catalog/index.js';
import { PERCENT, PERCENT_DOC } from './quote.dto.js';

export class CreateQuoteLineDto {
  @ApiProperty({ format: 'uuid', description: 'A draft quote' })
  @IsNotEmpty()
  @IsUUID('all')
  quoteId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "An active product available today. Required without configurationId; with it, the configuration's product (taken from it when left out)",
  })
  @IsOptional()
  @IsUUID('all')
  productId?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      "A saved product configuration the line sells, in the quote's currency: unless unitPrice is given, the line's unit price is the configuration's total priced today over its configured quantity, rounded to the minor unit. Set on creation.",
  })
  @IsOptional()
  @IsUUID('all')
  configurationId?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 100000,
    description: 'Order on the quote; defaults to the end',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  position?: number;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 1000,
    description: "Defaults to the product's name in the quote's language",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiProperty({ type: 'string', example: '3', maxLength: 26, description: 'More than zero' })
  @IsString()
  @IsDecimalString()
  quantity: string;

  @ApiPropertyOptional({
    type: MoneyDto,
    description:
      "In the quote's currency. Left out, it comes from the price book (the quote's own when it names one) and is kept",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  unitPrice?: MoneyDto;

  @ApiPropertyOptional({ ...PERCENT_DOC, example: '10', default: '0' })
  @IsOptional()
  @IsString()
  @Matches(PERCENT, { message: 'discountPercent must be a percent from 0 to 100' })
  discountPercent?: string;

  @CustomFieldsInput('quote-lines')
  customFields?: Record<string, unknown>;
}

export class UpdateQuoteLineDto extends PartialType(
  OmitType(CreateQuoteLineDto, ['quoteId', 'productId', 'configurationId'] as const),
) {}

export class ConfiguredOptionDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) optionId: string;
  @ApiProperty({ type: 'string', maxLength: 500, example: '16 GB memory' }) description: string;
  @ApiProperty({ type: MoneyDto, description: "The option's amount over the configured quantity" })
  unitAmount: MoneyDto;
}

export class QuoteLineDto extends RecordResponse(CreateQuoteLineDto) {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100000 }) declare position: number;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 1000 }) declare description:
    string | null;
  @ApiProperty({ type: MoneyDto }) declare unitPrice: MoneyDto;
  @ApiProperty({ ...PERCENT_DOC }) declare discountPercent: string;
  @ApiProperty({ type: 'string', enum: PRICE_SOURCES }) priceSource: string;
  @ApiProperty({
    type: [ConfiguredOptionDto],
    nullable: true,
    maxItems: 500,
    description:
      "With a configurationId: the configuration's options as priced when the line was made, each with its share of one unit's price; the proposal prints them so. Null without a configuration (and on lines made before this was kept)",
  })
  configurationOptions: ConfiguredOptionDto[] | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The book the price came from',
  })
  priceBookId: string | null;
  @ApiProperty({ type: 'string', maxLength: 50, example: 'standard' }) taxCategory: string;
  @ApiProperty({ type: 'string', maxLength: 10, example: '11' }) taxRate: string;
  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: "Cost of one unit in the quote's currency",
  })
  unitCost: MoneyDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) costAmount: MoneyDto | null;
  @ApiProperty({ type: MoneyDto, description: 'Quantity × unit price' }) grossAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) discountAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Gross less the line discount' }) netAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: "The line's share of the header discount" })
  headerDiscountAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: "The line's share of its category's tax" })
  taxAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) totalAmount: MoneyDto;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}
