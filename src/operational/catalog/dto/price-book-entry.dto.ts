import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  IsDecimalString,
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';

export class CreatePriceBookEntryDto {
  @ApiProperty({ type: 'string', format: 'uuid', description: 'Set once' })
  @IsUUID('all')
  priceBookId: string;

  @ApiProperty({ type: 'string', format: 'uuid', description: 'Set once; an active product' })
  @IsUUID('all')
  productId: string;

  @ApiProperty({
    type: MoneyDto,
    example: { amount: '12500000.00', currency: 'IDR' },
    description: "In the price book's currency, zero or more",
  })
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  unitPrice: MoneyDto;

  @ApiPropertyOptional({
    type: 'string',
    example: '10',
    default: '1',
    maxLength: 26,
    description: 'The price holds from this quantity on (volume tiers); more than zero',
  })
  @IsOptional()
  @IsString()
  @IsDecimalString()
  minQuantity?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-01-01',
    nullable: true,
    description: 'First day of the price (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  validFrom?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-06-30',
    nullable: true,
    description: 'Last day of the price (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  validTo?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('price-book-entries')
  customFields?: Record<string, unknown>;
}

export class UpdatePriceBookEntryDto extends PartialType(CreatePriceBookEntryDto) {}

export class PriceBookEntryDto extends RecordResponse(CreatePriceBookEntryDto) {
  @ApiProperty({ type: 'string', example: '1' }) declare minQuantity: string;
}
