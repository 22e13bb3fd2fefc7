import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deliveries may be pings an admin sends to try a receiver (POST /webhooks/{id}/ping). */
export class WebhookPing1764500000001 implements MigrationInterface {
  name = 'WebhookPing1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_trigger_check`,
    );
    await q.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_trigger_check
         CHECK (trigger IN ('event', 'retry', 'resend', 'ping'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM webhook_deliveries WHERE trigger = 'ping'`);
    await q.query(
      `ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_trigger_check`,
    );
    await q.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_trigger_check
         CHECK (trigger IN ('event', 'retry', 'resend'))`,
    );
  }
}
