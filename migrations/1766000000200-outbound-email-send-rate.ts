import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mail sender counts the e-mails started in the last minute before each one it sends
 * (the throttle across processes). No index served that count, so it read every message ever
 * sent, and a campaign's send rate fell as the table grew (bench/campaign-send.ts). With this
 * index the count reads only the last minute's entries.
 */
export class OutboundEmailSendRate1766000000200 implements MigrationInterface {
  name = 'OutboundEmailSendRate1766000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbound_messages_email_started_idx ON outbound_messages (sending_at) WHERE channel = 'email'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_email_started_idx`);
  }
}
