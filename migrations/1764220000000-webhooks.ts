import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: subscriptions with their signing secrets (two during a rotation), and
 * one row per delivery attempt so an admin can see what was sent, what came back and when
 * the next try is due. The unique (subscription, event, attempt) key keeps a replayed event
 * from producing a second delivery.
 */
export class Webhooks1764220000000 implements MigrationInterface {
  name = 'Webhooks1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL,
        entities text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'inactive', 'paused', 'disabled')),
        paused_reason text,
        paused_at timestamptz,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        secret_rotated_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    // Read for every dispatched event: only the live, active subscriptions.
    await q.query(
      `CREATE INDEX webhook_subscriptions_active_idx ON webhook_subscriptions (created_at) WHERE status = 'active' AND deleted_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL CHECK (attempt >= 1),
        trigger text NOT NULL CHECK (trigger IN ('event', 'retry', 'resend')),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'success', 'failed', 'cancelled')),
        scheduled_at timestamptz NOT NULL DEFAULT now(),
        attempted_at timestamptz,
        response_status integer,
        response_body text,
        error text,
        duration_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, event_id, attempt)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (subscription_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
