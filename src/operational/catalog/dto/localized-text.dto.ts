import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** A name in each language the catalog speaks; at least one is given. */
export class LocalizedNameDto {
  @ApiPropertyOptional({ type: 'string', example: 'Laptop bisnis 14 inci', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  en?: string;

  @ApiPropertyOptional({ type: 'string', example: 'Laptop bisnis 14 inci', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id?: string;
}

/** A description in each language; at least one is given. */
export class LocalizedDescriptionDto {
  @ApiPropertyOptional({
    type: 'string',
    example: 'Business laptop, 16 GB RAM, three-year on-site warranty',
    maxLength: 10000,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  en?: string;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Laptop bisnis, RAM 16 GB, garansi di tempat tiga tahun',
    maxLength: 10000,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  id?: string;
}

/** Every language's text, lowered, for `q`. */
export function searchText(...texts: unknown[]): string {
  return texts
    .flatMap((t) => (t && typeof t === 'object' ? Object.values(t as Record<string, string>) : []))
    .join(' ')
    .toLowerCase();
}

/** A localized value must name at least one language. */
export function hasLanguage(text: unknown): boolean {
  if (!text || typeof text !== 'object') return false;
  const t = text as { en?: string; id?: string };
  return t.en !== undefined || t.id !== undefined;
}
