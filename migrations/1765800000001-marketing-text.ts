import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS and WhatsApp messages live in `outbound_messages` next to e-mail (one row per source and
 * contact, the same crash-safe states). What the provider tells afterwards is kept apart from
 * the send state: `provider_message_id` (its id, from the answer to our request) and the
 * delivery it reports through the status callback (`delivery_status`, `delivery_error`,
 * `delivered_at`).
 *
 * Campaigns of type `sms` and `whatsapp` send their template on that channel.
 */
export class MarketingText1765800000001 implements MigrationInterface {
  name = 'MarketingText1765800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbound_messages
        ADD COLUMN provider_message_id text CHECK (length(provider_message_id) <= 200),
        ADD COLUMN delivery_status text
          CHECK (delivery_status IN ('accepted', 'delivered', 'undelivered', 'failed', 'read')),
        ADD COLUMN delivery_error text CHECK (length(delivery_error) <= 1000),
        ADD COLUMN delivery_updated_at timestamptz`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_type_check`);
    await q.query(`
      ALTER TABLE campaigns ADD CONSTRAINT campaigns_type_check CHECK (type IN
        ('email', 'sms', 'whatsapp', 'event', 'webinar', 'telemarketing', 'ads', 'direct_mail'))`);
    await q.query(
      `CREATE INDEX outbound_messages_provider_idx ON outbound_messages (channel, provider_message_id)
        WHERE provider_message_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_type_check`);
    await q.query(`
      ALTER TABLE campaigns ADD CONSTRAINT campaigns_type_check CHECK (type IN
        ('email', 'event', 'webinar', 'telemarketing', 'ads', 'direct_mail'))`);
    await q.query(`DROP INDEX outbound_messages_provider_idx`);
    await q.query(`
      ALTER TABLE outbound_messages
        DROP COLUMN provider_message_id, DROP COLUMN delivery_status,
        DROP COLUMN delivery_error, DROP COLUMN delivery_updated_at`);
  }
}
