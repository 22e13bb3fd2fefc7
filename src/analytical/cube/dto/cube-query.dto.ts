import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import {
  CUBE_FILTER_OPERATORS,
  CUBE_MAX_LIMIT,
  CUBE_TOTALS,
  type CubeFilterOperator,
  type CubeTotals,
} from '../cube-query.js';

const NAME_LENGTH = 100;
const VALUE_LENGTH = 200;
export const MAX_FILTER_VALUES = 100;

/** A filter value: one string, a list of strings (in, nin) or a boolean (isNull). */
function IsFilterValue(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isFilterValue',
      target: target.constructor,
      propertyName: property as string,
      options: {
        message: `value must be a string of at most ${VALUE_LENGTH} characters, a list of at most ${MAX_FILTER_VALUES} of them, or a boolean`,
      },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'boolean' ||
          (typeof v === 'string' && v.length <= VALUE_LENGTH) ||
          (Array.isArray(v) &&
            v.length <= MAX_FILTER_VALUES &&
            v.every((x) => typeof x === 'string' && x.length <= VALUE_LENGTH)),
      },
    });
}

export class CubeFilterDto {
  @ApiProperty({ maxLength: NAME_LENGTH, example: 'region' })
  @IsString()
  @MaxLength(NAME_LENGTH)
  dimension: string;

  @ApiProperty({ enum: CUBE_FILTER_OPERATORS, example: 'in' })
  @IsIn(CUBE_FILTER_OPERATORS)
  op: CubeFilterOperator;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', maxLength: VALUE_LENGTH },
      { type: 'boolean' },
      {
        type: 'array',
        maxItems: MAX_FILTER_VALUES,
        items: { type: 'string', maxLength: VALUE_LENGTH },
      },
    ],
    description:
      'A string; a list for `in` / `nin`; a boolean for `isNull`. The `time` dimension takes days (YYYY-MM-DD).',
    example: ['DKI Jakarta', 'Jawa Barat'],
  })
  @IsOptional()
  @IsFilterValue()
  value?: string | string[] | boolean;
}

export class CubeQueryDto {
  @ApiProperty({
    maxLength: NAME_LENGTH,
    example: 'sales',
    description: 'See GET /analytics/cubes',
  })
  @IsString()
  @MaxLength(NAME_LENGTH)
  cube: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    example: ['revenue', 'margin'],
    items: { type: 'string', maxLength: NAME_LENGTH },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(NAME_LENGTH, { each: true })
  measures: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 8,
    example: ['time.quarter', 'region'],
    description:
      '`time.day|week|month|quarter|year`, the cube’s dimensions, `account.customFields.<code>`',
    items: { type: 'string', maxLength: NAME_LENGTH },
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MaxLength(NAME_LENGTH, { each: true })
  dimensions?: string[];

  @ApiPropertyOptional({ type: [CubeFilterDto], maxItems: 30 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CubeFilterDto)
  filters?: CubeFilterDto[];

  @ApiPropertyOptional({
    enum: CUBE_TOTALS,
    default: 'none',
    description:
      '`rollup`: subtotals along the dimensions in order, then a grand total; `cube`: every combination',
  })
  @IsOptional()
  @IsIn(CUBE_TOTALS)
  totals?: CubeTotals;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 10,
    example: ['-revenue'],
    items: { type: 'string', maxLength: NAME_LENGTH + 1 },
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(NAME_LENGTH + 1, { each: true })
  sort?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: CUBE_MAX_LIMIT, default: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(CUBE_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ enum: ['rows', 'pivot'], default: 'rows' })
  @IsOptional()
  @IsIn(['rows', 'pivot'])
  shape?: 'rows' | 'pivot';

  @ApiPropertyOptional({ maxLength: NAME_LENGTH, example: 'time.quarter' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_LENGTH)
  pivotOn?: string;
}
