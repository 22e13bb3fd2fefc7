import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const problem = (status: number, code: string, title: string, detail: string) =>
  ApiResponse({
    status,
    description: title,
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/ProblemDto' },
        example: {
          type: `urn:relasi:problem:${code.replace(/_/g, '-')}`,
          title,
          status,
          detail,
          code,
          instance: '/public/…',
          requestId: 'req-1',
        },
      },
    },
  });

/** The answers to a link from a message that was tampered with (404) or has expired (410). */
export function ApiLinkProblems() {
  return applyDecorators(
    problem(
      404,
      'marketing_link_invalid',
      'Link not found',
      'This link is not valid. Use the link from your latest message.',
    ),
    problem(
      410,
      'marketing_link_expired',
      'Link expired',
      'This link expired on 2026-12-01T00:00:00.000Z. Use the link from your latest message.',
    ),
  );
}
