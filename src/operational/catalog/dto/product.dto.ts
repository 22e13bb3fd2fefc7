import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  MoneyDto,
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { PRODUCT_UNITS } from '../catalog.definitions.js';
import { LocalizedDescriptionDto, LocalizedNameDto } from './localized-text.dto.js';

export class CreateProductDto {
  @ApiProperty({
    type: 'string',
    example: 'LPT-14-BIZ',
    maxLength: 64,
    description: 'Unique among live products, whatever its case',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^\S(.*\S)?$/, { message: 'sku must not start or end with a space' })
  sku: string;

  @ApiProperty({
    type: LocalizedNameDto,
    example: { en: 'Business laptop 14"', id: 'Laptop bisnis 14 inci' },
  })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name: LocalizedNameDto;

  @ApiPropertyOptional({ type: LocalizedDescriptionDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedDescriptionDto)
  description?: LocalizedDescriptionDto | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  familyId?: string | null;

  @ApiPropertyOptional({ type: 'string', enum: PRODUCT_UNITS, default: 'unit', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @IsPicklistValue('products', 'unit', PRODUCT_UNITS)
  unit?: string;

  @ApiPropertyOptional({ type: 'boolean', default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: 'string',
    example: 'standard',
    maxLength: 50,
    description: 'A key of `catalog.taxCategories` in crm.config.yaml; defaults to its default one',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxCategory?: string;

  @ApiPropertyOptional({
    type: MoneyDto,
    nullable: true,
    example: { amount: '9500000.00', currency: 'IDR' },
    description: 'What the product costs the company, for margins',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  costPrice?: MoneyDto | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-01-01',
    nullable: true,
    description: 'First day it may be sold (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  availableFrom?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-12-31',
    nullable: true,
    description: 'Last day it may be sold (inclusive)',
  })
  @IsOptional()
  @IsCalendarDate()
  availableTo?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('products')
  customFields?: Record<string, unknown>;
}

export class UpdateProductDto extends PartialType(CreateProductDto) {}

export class ProductDto extends RecordResponse(CreateProductDto) {
  @ApiProperty({ type: 'string', enum: PRODUCT_UNITS }) declare unit: string;
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
  @ApiProperty({ type: 'string', example: 'standard' }) declare taxCategory: string;
}
