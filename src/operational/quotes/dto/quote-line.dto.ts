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
import { MoneyDto, RecordResponse, CustomFieldsInput } from '#platform/records/index.js';
import { PRICE_SOURCES, PERCENT_DOC, SalesLineInputDto } from '#operational/catalog/index.js';

export class CreateQuoteLineDto extends SalesLineInputDto {
  @ApiProperty({ format: 'uuid', description: 'A draft quote' })
  @IsNotEmpty()
  @IsUUID('all')
  quoteId: string;

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
