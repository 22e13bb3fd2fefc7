import type { FastifyReply } from 'fastify';
import { AppError } from './app-error.js';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Checks an If-Match header against the record's current version. Absent header: the write
 * goes ahead (last write wins), as the REST contract promises.
 */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return;
  const current = etagOf(version);
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(current)) {
    throw new AppError(
      'precondition_failed',
      { etag: current },
      undefined,
      { currentVersion: version },
      { etag: current },
    );
  }
}

/** Sends the record's version as its ETag, so the client's next write can say If-Match. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  void reply.header('etag', etagOf(record.version));
  return record;
}
