import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A quote line selling a saved configuration keeps the configuration's options as they were
 * priced when the line was made, so the proposal prints them at the quoted prices, not at
 * today's. Null on lines made before (and on lines without a configuration): the proposal
 * then names the options as they read today, without prices.
 */
export class QuoteLineConfigurationOptions1764700300002 implements MigrationInterface {
  name = 'QuoteLineConfigurationOptions1764700300002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quote_lines ADD COLUMN configuration_options jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quote_lines DROP COLUMN configuration_options`);
  }
}
