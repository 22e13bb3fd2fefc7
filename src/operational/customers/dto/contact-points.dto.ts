import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const PHONE_LABELS = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export const ADDRESS_LABELS = ['billing', 'shipping', 'office', 'home', 'other'] as const;

export class PhoneDto {
  @ApiProperty({ example: '+62 21 555 0100', maxLength: 40 })
  @IsString()
  @MinLength(3)
  @MaxLength(40)
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, { message: 'number must be a phone number' })
  number: string;

  @ApiPropertyOptional({ enum: PHONE_LABELS, default: 'work' })
  @IsOptional()
  @IsIn(PHONE_LABELS)
  label?: (typeof PHONE_LABELS)[number];
}

export class AddressDto {
  @ApiPropertyOptional({ enum: ADDRESS_LABELS, default: 'office' })
  @IsOptional()
  @IsIn(ADDRESS_LABELS)
  label?: (typeof ADDRESS_LABELS)[number];

  @ApiPropertyOptional({ example: 'Jl. Jend. Sudirman Kav. 52-53', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  street?: string;

  @ApiPropertyOptional({ example: 'Jakarta Selatan', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional({ example: 'DKI Jakarta', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ example: '12190', maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'ID', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

/** Digits only, so "+62 21-555 0100" and "62215550100" find each other. */
export function phoneKeys(phones: { number: string }[] | null | undefined): string[] {
  return [
    ...new Set((phones ?? []).map((p) => p.number.replace(/\D/g, '')).filter((d) => d.length >= 5)),
  ];
}

export function nameKey(...parts: (string | null | undefined)[]): string {
  return parts
    .filter(Boolean)
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
