import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { StreamEventInput } from './stream.events.js';

export const STREAM_CHANNEL = 'relasi_stream';

/**
 * Puts an event on the live stream in the caller's transaction: a row in `stream_events`
 * (what reconnecting clients replay and what every process reads) and a NOTIFY carrying
 * only its id, sent by PostgreSQL on commit. A rolled-back change streams nothing.
 */
@Injectable()
export class StreamPublisher {
  constructor(private readonly db: DatabaseService) {}

  async publish(tx: RequestContext, events: StreamEventInput[]): Promise<void> {
    for (const e of events) {
      const userIds = [...new Set(e.userIds)];
      const recipients = [...new Set(e.recipients ?? [])];
      if (!userIds.length && !recipients.length) continue;
      await this.db.query(
        tx,
        `WITH e AS (INSERT INTO stream_events (type, user_ids, recipients, data)
                    VALUES ($1, $2::uuid[], $3::text[], $4) RETURNING id)
         SELECT pg_notify($5, e.id::text) FROM e`,
        [e.type, userIds, recipients, JSON.stringify(e.data), STREAM_CHANNEL],
      );
    }
  }
}
