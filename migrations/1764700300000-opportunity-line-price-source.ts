import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Opportunity lines say where their unit price came from, as quote lines do: `price_book`
 * lines are priced again when their quantity changes, `manual` ones keep the given price.
 * Lines written before cannot tell, so they count as `manual`: nothing re-prices them unasked.
 */
export class OpportunityLinePriceSource1764700300000 implements MigrationInterface {
  name = 'OpportunityLinePriceSource1764700300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE opportunity_lines ADD COLUMN price_source text NOT NULL DEFAULT 'manual'
         CONSTRAINT opportunity_lines_price_source_check CHECK (price_source IN ('price_book', 'manual'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE opportunity_lines DROP COLUMN price_source`);
  }
}
