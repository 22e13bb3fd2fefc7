import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { CreateTrackingEventDto, TrackingEventDto } from './dto/tracking-event.dto.js';

const COLUMNS = `id, order_id AS "orderId", occurred_at AS "occurredAt", status, carrier,
  tracking_number AS "trackingNumber", location, note, created_by_id AS "createdById", created_at AS "createdAt"`;

type Row = Omit<TrackingEventDto, 'occurredAt' | 'createdAt'> & {
  occurredAt: Date;
  createdAt: Date;
};

const view = (r: Row): TrackingEventDto => ({
  ...r,
  occurredAt: r.occurredAt.toISOString(),
  createdAt: r.createdAt.toISOString(),
});

/** The SQL of tracking events. */
@Injectable()
export class OrderTrackingRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: RequestContext,
    orderId: string,
    e: CreateTrackingEventDto,
  ): Promise<TrackingEventDto> {
    const rows = await this.db.query<Row>(
      tx,
      `INSERT INTO order_tracking_events (id, order_id, occurred_at, status, carrier, tracking_number, location, note, created_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        uuidv7(),
        orderId,
        e.occurredAt,
        e.status,
        e.carrier ?? null,
        e.trackingNumber ?? null,
        e.location ?? null,
        e.note ?? null,
        tx.principal?.userId ?? null,
      ],
    );
    return view(rows[0]);
  }

  /** The order's events, oldest first. */
  async list(ctx: RequestContext, orderId: string): Promise<TrackingEventDto[]> {
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT ${COLUMNS} FROM order_tracking_events WHERE order_id = $1 ORDER BY occurred_at, id`,
      [orderId],
    );
    return rows.map(view);
  }

  async one(ctx: RequestContext, orderId: string, id: string): Promise<TrackingEventDto | null> {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT ${COLUMNS} FROM order_tracking_events WHERE order_id = $1 AND id = $2`,
      [orderId, id],
    );
    return row ? view(row) : null;
  }
}
