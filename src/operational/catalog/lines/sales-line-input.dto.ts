import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { IsDecimalString, MoneyDto } from '#platform/records/index.js';

/** A percent from 0 to 100 with up to four decimals, as a string. */
export const PERCENT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;
export const PERCENT_DOC = {
  type: 'string',
  pattern: PERCENT.source,
  maxLength: 8,
} as const;

/**
 * What a quote line and an opportunity line take alike: the product or saved configuration
 * sold, the quantity, the unit price (or none, for the price books) and the discount. Both
 * line inputs extend it, so the two published schemas describe these fields once.
 */
export class SalesLineInputDto {
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
      "A saved product configuration the line sells, in the currency of the line's quote or opportunity: unless unitPrice is given, the line's unit price is the configuration's total priced today over its configured quantity, rounded to the minor unit. Set on creation.",
  })
  @IsOptional()
  @IsUUID('all')
  configurationId?: string | null;

  @ApiProperty({ type: 'string', example: '3', maxLength: 26, description: 'More than zero' })
  @IsString()
  @IsDecimalString()
  quantity: string;

  @ApiPropertyOptional({
    type: MoneyDto,
    nullable: true,
    example: { amount: '12500000.00', currency: 'IDR' },
    description:
      "In the currency of the line's quote or opportunity, kept as given (priceSource manual). Left out, the price books price the line (the quote's own book when it names one) and price it again when only its quantity changes (priceSource price_book); null in a PATCH of an opportunity line hands it back to the books",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  unitPrice?: MoneyDto | null;

  @ApiPropertyOptional({
    ...PERCENT_DOC,
    example: '10',
    default: '0',
    description: 'Percent off the unit price, 0 to 100',
  })
  @IsOptional()
  @IsString()
  @Matches(PERCENT, { message: 'discountPercent must be a percent from 0 to 100' })
  discountPercent?: string;
}
