import type { Readable } from 'node:stream';
import { applyDecorators, type Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** One part of a multipart upload, as @fastify/multipart hands them over. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable };

/**
 * A route that takes multipart/form-data: the body parser leaves it to the handler, which reads
 * it part by part, and the API document shows `form` as the request body.
 */
export function ApiFileUpload(form: Type<unknown>) {
  return applyDecorators(
    RouteConfig({ multipart: true }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: form }),
  );
}

/** The parts of a multipart request as they stream in; any other body answers 400. */
export function uploadParts(req: FastifyRequest): AsyncIterable<UploadPart> {
  if (!req.isMultipart()) throw new AppError('multipart_required');
  return req.parts() as AsyncIterable<UploadPart>;
}
