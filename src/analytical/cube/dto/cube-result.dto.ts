import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUBE_MAX_LIMIT, CUBE_TOTALS } from '../cube-query.js';

const DIMENSION_VALUES = {
  type: 'object',
  maxProperties: 8,
  additionalProperties: { type: 'string', maxLength: 500, nullable: true },
  example: { 'time.quarter': '2026-Q1', region: 'DKI Jakarta' },
} as const;

const MEASURE_VALUE = {
  anyOf: [
    {
      type: 'integer',
      minimum: -9007199254740991,
      maximum: 9007199254740991,
      description: 'A count',
    },
    {
      type: 'string',
      maxLength: 60,
      nullable: true,
      description: 'A ratio or decimal, e.g. "0.6667"; null when undefined (no closed deals)',
    },
    {
      type: 'object',
      nullable: true,
      required: ['amount', 'currency'],
      properties: {
        amount: { type: 'string', maxLength: 60, example: '1250000.00' },
        currency: { type: 'string', maxLength: 3, example: 'IDR' },
      },
    },
  ],
};

export const MEASURE_VALUES = {
  type: 'object',
  maxProperties: 20,
  additionalProperties: MEASURE_VALUE,
  example: { revenue: { amount: '1250000.00', currency: 'IDR' }, orders: 3 },
} as const;

const ROLLED_UP = {
  type: 'array',
  maxItems: 8,
  items: { type: 'string', maxLength: 100 },
  description:
    'Dimensions the row sums over: empty for a detail row, all of them for the grand total',
} as const;

export class CubeRowDto {
  @ApiProperty(DIMENSION_VALUES)
  dimensions: Record<string, string | null>;

  @ApiProperty(MEASURE_VALUES)
  measures: Record<string, unknown>;

  @ApiProperty(ROLLED_UP)
  rolledUp: string[];
}

export class CubePivotColumnDto {
  @ApiProperty({ type: 'string', maxLength: 500, nullable: true, example: '2026-Q1' })
  value: string | null;

  @ApiProperty({ description: 'The column sums over every value (totals rollup or cube)' })
  total: boolean;
}

export class CubePivotRowDto {
  @ApiProperty(DIMENSION_VALUES)
  dimensions: Record<string, string | null>;

  @ApiProperty(ROLLED_UP)
  rolledUp: string[];

  @ApiProperty({
    type: 'array',
    maxItems: CUBE_MAX_LIMIT,
    items: { ...MEASURE_VALUES, nullable: true },
    description: 'One per column, in the order of `columns`; null where the cell is empty',
  })
  cells: (Record<string, unknown> | null)[];
}

export class CubePivotDto {
  @ApiProperty({ maxLength: 100, example: 'time.quarter' })
  on: string;

  @ApiProperty({ type: [CubePivotColumnDto], maxItems: CUBE_MAX_LIMIT })
  columns: CubePivotColumnDto[];

  @ApiProperty({ type: [CubePivotRowDto], maxItems: CUBE_MAX_LIMIT })
  rows: CubePivotRowDto[];
}

export class CubeResultDto {
  @ApiProperty({ maxLength: 100, example: 'sales' })
  cube: string;

  @ApiProperty({
    maxLength: 3,
    example: 'IDR',
    description: 'The reporting currency of every money measure',
  })
  currency: string;

  @ApiProperty({
    format: 'date-time',
    maxLength: 40,
    description: 'The operational data the answer reflects is as of this moment (last refresh)',
  })
  dataAsOf: string;

  @ApiProperty({ type: [String], maxItems: 20, items: { type: 'string', maxLength: 100 } })
  measures: string[];

  @ApiProperty({ type: [String], maxItems: 8, items: { type: 'string', maxLength: 100 } })
  dimensions: string[];

  @ApiProperty({ enum: CUBE_TOTALS })
  totals: string;

  @ApiProperty({ enum: ['rows', 'pivot'] })
  shape: string;

  @ApiPropertyOptional({ type: [CubeRowDto], maxItems: CUBE_MAX_LIMIT, description: 'Shape rows' })
  rows?: CubeRowDto[];

  @ApiPropertyOptional({ type: CubePivotDto, description: 'Shape pivot' })
  pivot?: CubePivotDto;
}

export class CubeMeasureInfoDto {
  @ApiProperty({ maxLength: 100, example: 'revenue' })
  name: string;

  @ApiProperty({ enum: ['money', 'integer', 'decimal', 'ratio'] })
  type: string;

  @ApiProperty({ maxLength: 500 })
  description: string;
}

export class CubeInfoDto {
  @ApiProperty({ maxLength: 100, example: 'sales' })
  name: string;

  @ApiProperty({ maxLength: 500 })
  description: string;

  @ApiProperty({
    maxLength: 100,
    example: 'orders',
    description: 'Whose read scope limits the rows',
  })
  entity: string;

  @ApiProperty({ maxLength: 500, description: 'What the day of the `time` dimension is' })
  time: string;

  @ApiProperty({ maxLength: 3, example: 'IDR' })
  currency: string;

  @ApiProperty({ type: [CubeMeasureInfoDto], maxItems: 50 })
  measures: CubeMeasureInfoDto[];

  @ApiProperty({ type: [String], maxItems: 500, items: { type: 'string', maxLength: 100 } })
  dimensions: string[];
}

export class CubeListDto {
  @ApiProperty({ type: [CubeInfoDto], maxItems: 50 })
  data: CubeInfoDto[];
}

export class CubeRefreshDto {
  @ApiProperty({ format: 'date-time', maxLength: 40 })
  dataAsOf: string;

  @ApiProperty({ minimum: 0, description: 'Milliseconds the refresh took' })
  durationMs: number;
}
