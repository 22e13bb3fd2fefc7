import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { MAX_PARAM_LENGTH, MAX_Q } from '#platform/query/list-request.js';

export class FieldErrorDto {
  @ApiProperty({ maxLength: 200, example: 'email' }) field: string;
  @ApiProperty({
    maxLength: 100,
    example: 'isEmail',
    description: 'Stable code of the rule that failed',
  })
  code: string;
  @ApiProperty({ maxLength: 1000, example: 'must be an email address' }) message: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemDto {
  @ApiProperty({ maxLength: 200, example: 'urn:relasi:problem:validation-failed' }) type: string;
  @ApiProperty({ maxLength: 200, example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ maxLength: 10000, example: 'The request has invalid fields.' }) detail: string;
  @ApiProperty({ maxLength: 100, example: 'validation_failed', description: 'Stable machine code' })
  code: string;
  @ApiProperty({ maxLength: 2000, example: '/api/v1/contacts' }) instance: string;
  @ApiProperty({ maxLength: 200, example: 'req-8f14e45f' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], maxItems: 1000 }) errors?: FieldErrorDto[];
  // Extension members (RFC 9457 §3.2) some answers carry, so a client can act without parsing
  // the detail text.
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The record that already holds the value (duplicate or unique conflict)',
  })
  existingId?: string;
  @ApiPropertyOptional({
    maxLength: 200,
    example: 'name',
    description: 'The field whose value conflicts',
  })
  field?: string;
  @ApiPropertyOptional({
    maxLength: 200,
    example: 'email',
    description: 'What made two records duplicates',
  })
  match?: string;
  @ApiPropertyOptional({
    maxLength: 100,
    example: 'contacts',
    description: 'The kind of record existingId names, when it is not the kind written',
  })
  entity?: string;
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: 2_147_483_647,
    example: 4,
    description: "The record's version now, when If-Match was stale",
  })
  currentVersion?: number;
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 86_400,
    example: 30,
    description: 'Seconds to wait before trying again',
  })
  retryAfter?: number;
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: 2_147_483_647,
    example: 3,
    description: 'Users still holding the role that cannot be deleted',
  })
  userCount?: number;
}

const EXAMPLES: Record<number, ProblemExample> = {
  400: {
    code: 'validation_failed',
    title: 'Validation failed',
    detail: 'The request has invalid fields.',
  },
  401: { code: 'unauthorized', title: 'Unauthorized', detail: 'Valid credentials are required.' },
  403: { code: 'forbidden', title: 'Forbidden', detail: 'Your role may not delete contacts.' },
  404: {
    code: 'not_found',
    title: 'Not found',
    detail: 'No contact with id 0192f000-0000-7000-8000-000000000000.',
  },
  409: {
    code: 'duplicate_record',
    title: 'Duplicate record',
    detail: 'A contact with the same email already exists.',
  },
  412: {
    code: 'precondition_failed',
    title: 'Precondition failed',
    detail: 'The record changed since you read it.',
  },
  413: {
    code: 'payload_too_large',
    title: 'Payload too large',
    detail: 'The body exceeds the limit of 1048576 bytes.',
  },
  414: {
    code: 'uri_too_long',
    title: 'URI too long',
    detail: 'The request path or one of its segments is too long (at most 200 characters).',
  },
  415: {
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
  },
  422: {
    code: 'idempotency_mismatch',
    title: 'Idempotency key reused',
    detail: 'This Idempotency-Key was used with a different request.',
  },
  429: { code: 'rate_limited', title: 'Too many attempts', detail: 'Try again in 900 seconds.' },
  503: {
    code: 'query_timeout',
    title: 'Query timed out',
    detail: 'The database did not answer in time.',
  },
};

/** The response header of a read or write that returns one record. */
export const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

/** An example problem: its code, title and detail as a client would see them. */
export interface ProblemExample {
  code: string;
  title: string;
  detail: string;
}

/** The problem+json answer with the given status, with an example of it. */
export function problemResponse(status: number, example = EXAMPLES[status]) {
  return {
    description: example?.title ?? 'Error',
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemDto) },
        example: {
          type: `urn:relasi:problem:${example?.code.replace(/_/g, '-')}`,
          status,
          ...example,
          instance: '/api/v1/…',
          requestId: 'req-1',
        },
      },
    },
  };
}

/** Documents a problem answer a module defines itself, with its own code as the example. */
export function ApiModuleProblem(status: number, example: ProblemExample) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ApiResponse({ status, ...problemResponse(status, example) }),
  );
}

/** Documents the problem+json answers of an operation. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}

/** `filter[field][op]=value`, documented with an example of the resource's own fields. */
export function ApiFilterQuery(example: string) {
  return ApiQuery({
    name: 'filter',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: { type: 'object' },
    example,
  });
}

/** What a list documents beyond filter, sort, limit and cursor, which every list takes. */
export interface ListQueryDocs {
  /** Example of `filter[…]`. */
  filter: string;
  /** Example of `sort`; newest first unless given. */
  sort?: string;
  /** Example of `fields=`; a list that does not project leaves it out. */
  fields?: string;
  /** Whether `include=` embeds related records. */
  include?: boolean;
  /** `q` with its example or description; `false` for a list without search. */
  q?: false | { example?: string; description?: string };
  /** `false` for a list that gives no totals (`count=exact|estimated`). */
  count?: false;
}

function listParam(example: string) {
  return { type: 'string' as const, maxLength: MAX_PARAM_LENGTH, example };
}

/** Documents the query parameters of a list endpoint. */
export function ApiListQuery(docs: ListQueryDocs) {
  // Applied from count to filter: the order the document has always listed them in.
  const decorators = [
    docs.count !== false &&
      ApiQuery({
        name: 'count',
        required: false,
        description: 'Adds meta.total: exact counts every match, estimated asks the planner',
        schema: { type: 'string', enum: ['exact', 'estimated'] },
      }),
    docs.q !== false &&
      ApiQuery({
        name: 'q',
        required: false,
        description: docs.q?.description ?? 'Free-text search',
        schema: { type: 'string', maxLength: MAX_Q, example: docs.q?.example },
      }),
    docs.include === true &&
      ApiQuery({
        name: 'include',
        required: false,
        description: 'Comma-separated relations to embed',
        schema: listParam('account'),
      }),
    docs.fields !== undefined &&
      ApiQuery({
        name: 'fields',
        required: false,
        description: 'Comma-separated fields to return; the others are left out of each record',
        schema: listParam(docs.fields),
      }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'meta.nextCursor of the previous page',
      schema: { type: 'string', maxLength: MAX_PARAM_LENGTH },
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      description: 'Page size; the configured default and maximum apply',
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 500, example: 50 },
    }),
    ApiQuery({
      name: 'sort',
      required: false,
      description: 'Comma-separated fields, `-` for descending; at most 5',
      schema: listParam(docs.sort ?? '-createdAt'),
    }),
    ApiFilterQuery(docs.filter),
  ];
  return applyDecorators(...decorators.filter((d) => d !== false));
}
