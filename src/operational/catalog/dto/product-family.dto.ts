import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { LocalizedDescriptionDto, LocalizedNameDto } from './localized-text.dto.js';

export class CreateProductFamilyDto {
  @ApiProperty({ type: LocalizedNameDto, example: { en: 'Laptops', id: 'Laptop' } })
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

  @ApiPropertyOptional({ type: 'boolean', default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('product-families')
  customFields?: Record<string, unknown>;
}

export class UpdateProductFamilyDto extends PartialType(CreateProductFamilyDto) {}

export class ProductFamilyDto extends RecordResponse(CreateProductFamilyDto) {
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
}
