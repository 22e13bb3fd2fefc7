import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transactional outbox: domain events are written in the same transaction as the change that
 * caused them and handed to subscribers after commit. Deliveries are recorded per subscriber
 * so a retry after a crash never calls a subscriber twice for an event it already handled.
 */
export class DomainEventOutbox1764100000000 implements MigrationInterface {
  name = 'DomainEventOutbox1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE domain_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        entity text NOT NULL,
        record_id uuid,
        actor_id uuid,
        request_id text,
        data jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        failed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX domain_events_pending_idx ON domain_events (next_attempt_at, id) WHERE dispatched_at IS NULL AND failed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX domain_events_record_idx ON domain_events (entity, record_id, occurred_at)`,
    );
    await q.query(`
      CREATE TABLE domain_event_deliveries (
        event_id uuid NOT NULL REFERENCES domain_events (id) ON DELETE CASCADE,
        subscriber text NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, subscriber)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_event_deliveries`);
    await q.query(`DROP TABLE domain_events`);
  }
}
