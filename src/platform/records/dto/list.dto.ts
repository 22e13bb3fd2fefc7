import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_FIELD_NAME, MAX_PARAM_LENGTH, MAX_Q } from '#platform/query/list-request.js';

export class ListMetaDto {
  @ApiProperty({
    maxLength: 2000,
    type: 'string',
    nullable: true,
    example: 'WyIyMDI2LTAxLTAxIDAwOjAwOjAwKzAwIiwiMDE5MmYwMDAtLi4uIl0',
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiPropertyOptional({ example: 1234, description: 'Only with count=exact or count=estimated' })
  total?: number;
  @ApiPropertyOptional({ example: true }) totalIsEstimate?: boolean;
}

/** A field's value as history stores it: any JSON value a record field can hold. */
const FIELD_VALUE = {
  nullable: true,
  oneOf: [
    { type: 'string', maxLength: 100_000 },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {}, maxItems: 1000 },
  ],
};

export class HistoryChangeDto {
  @ApiProperty({ maxLength: 100, example: 'lastName' }) field: string;
  @ApiProperty({ ...FIELD_VALUE, example: 'Wijaya' }) old: unknown;
  @ApiProperty({ ...FIELD_VALUE, example: 'Wijayakusuma' }) new: unknown;
}

export class HistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['create', 'update', 'delete', 'restore', 'merge'] }) action: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ maxLength: 200, type: 'string', nullable: true }) requestId: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [HistoryChangeDto], maxItems: 1000 }) changes: HistoryChangeDto[];
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEntryDto], maxItems: 500 }) data: HistoryEntryDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

const FIELD_NAMES = {
  type: 'array',
  items: { type: 'string', maxLength: MAX_FIELD_NAME },
} as const;

export class QueryBodyDto {
  @ApiPropertyOptional({
    description: 'A tree of conditions: {and:[…]}, {or:[…]}, {not:{…}} or {field, op, value}',
    example: {
      or: [
        { field: 'lastName', op: 'eq', value: 'Wijaya' },
        { not: { field: 'email', op: 'isNull', value: true } },
      ],
    },
  })
  filter?: Record<string, unknown>;
  @ApiPropertyOptional({ ...FIELD_NAMES, example: ['-createdAt', 'lastName'], maxItems: 5 })
  sort?: string[];
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500 }) limit?: number;
  @ApiPropertyOptional({ maxLength: MAX_PARAM_LENGTH }) cursor?: string;
  @ApiPropertyOptional({ ...FIELD_NAMES, example: ['id', 'email'], maxItems: 100 })
  fields?: string[];
  @ApiPropertyOptional({ ...FIELD_NAMES, example: ['account'], maxItems: 100 }) include?: string[];
  @ApiPropertyOptional({ maxLength: MAX_Q, example: 'wija' }) q?: string;
  @ApiPropertyOptional({ enum: ['exact', 'estimated'] }) count?: string;
}

export class BulkResultDto {
  @ApiProperty({ example: 0 }) index: number;
  @ApiProperty({ example: 201 }) status: number;
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ description: 'problem+json of a failed item' }) error?: Record<
    string,
    unknown
  >;
}

export class BulkResponseDto {
  @ApiProperty({ type: [BulkResultDto], maxItems: 1000 }) results: BulkResultDto[];
}

export class BulkRequestDto {
  @ApiPropertyOptional({ enum: ['create', 'update'], default: 'create' }) operation?:
    'create' | 'update';
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    maxItems: 1000,
    description:
      'create: bodies as for POST; update: { id, version?, …fields } — version acts as If-Match',
  })
  items: Record<string, unknown>[];
}
