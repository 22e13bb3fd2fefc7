import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'isEmail', description: 'Stable code of the rule that failed' })
  code: string;
  @ApiProperty({ example: 'must be an email address' }) message: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:relasi:problem:validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'The request has invalid fields.' }) detail: string;
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine code' }) code: string;
  @ApiProperty({ example: '/api/v1/contacts' }) instance: string;
  @ApiProperty({ example: 'req-8f14e45f' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const EXAMPLES: Record<number, { code: string; title: string; detail: string }> = {
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

/** Documents the problem+json answers of an operation. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: EXAMPLES[status]?.title ?? 'Error',
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDto) },
            example: {
              type: `urn:relasi:problem:${EXAMPLES[status]?.code.replace(/_/g, '-')}`,
              status,
              ...EXAMPLES[status],
              instance: '/api/v1/…',
              requestId: 'req-1',
            },
          },
        },
      }),
    ),
  );
}
