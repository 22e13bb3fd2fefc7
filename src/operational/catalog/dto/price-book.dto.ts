import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ACCOUNT_TYPES } from '#operational/customers/index.js';
import { IsPicklistValue } from '#platform/customization/index.js';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  IsCurrencyCode,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';

export class CreatePriceBookDto {
  @ApiProperty({ type: 'string', example: 'Harga distributor Jawa 2026', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({
    type: 'string',
    example: 'IDR',
    maxLength: 3,
    description: 'ISO 4217; set once. Every entry of the book is in it',
  })
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'The fallback of its currency for every account; one per currency, and without criteria',
  })
  @IsOptional()
  @IsBoolean()
  isStandard?: boolean;

  @ApiPropertyOptional({ type: 'boolean', default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: 'string',
    enum: ACCOUNT_TYPES,
    nullable: true,
    maxLength: 100,
    description: 'Only accounts of this type',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('accounts', 'type', ACCOUNT_TYPES)
  accountType?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'retail',
    nullable: true,
    maxLength: 100,
    description: 'Only accounts of this industry',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPicklistValue('accounts', 'industry')
  industry?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'gold',
    nullable: true,
    maxLength: 100,
    description:
      'Only accounts whose tier custom field (`catalog.accountTierField`, default `tier`) holds this value',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  tier?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-01-01',
    nullable: true,
    description: 'First day the book prices (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  validFrom?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-12-31',
    nullable: true,
    description: 'Last day the book prices (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  validTo?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('price-books')
  customFields?: Record<string, unknown>;
}

export class UpdatePriceBookDto extends PartialType(CreatePriceBookDto) {}

export class PriceBookDto extends RecordResponse(CreatePriceBookDto) {
  @ApiProperty({ type: 'boolean' }) declare isStandard: boolean;
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
}
