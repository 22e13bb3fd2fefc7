import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import type { NewDomainEvent } from './domain-event.js';

export const OUTBOX_CHANNEL = 'relasi_outbox';

/**
 * Writes domain events into the outbox inside the caller's transaction. A rolled-back change
 * leaves no event; a committed one always has its event, even if the process dies right after.
 * NOTIFY is delivered only on commit, so it wakes dispatchers exactly when there is work.
 */
@Injectable()
export class EventOutbox {
  constructor(private readonly db: DatabaseService) {}

  async append(ctx: RequestContext, events: NewDomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.transaction(ctx, async (tx) => {
      for (const e of events) {
        await this.db.query(
          tx,
          `INSERT INTO domain_events (id, type, entity, record_id, actor_id, request_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            uuidv7(),
            e.type,
            e.entity,
            e.recordId,
            tx.principal?.userId ?? null,
            tx.requestId,
            JSON.stringify(e.data),
          ],
        );
      }
      await this.db.query(tx, `SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    });
  }
}
