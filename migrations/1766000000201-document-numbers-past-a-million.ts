import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order and work-order numbers were `lpad(n, 6, '0')`, and lpad cuts a longer string to the
 * width: order 1,000,000 was numbered `SO-100000` again, collided with order 100,000 on the
 * unique index, and no order could be created after it (found by bench/segments.ts, which
 * writes two million orders). Numbers keep six digits and grow past them, as case numbers do.
 */
export class DocumentNumbersPastAMillion1766000000201 implements MigrationInterface {
  name = 'DocumentNumbersPastAMillion1766000000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION document_number(prefix text, n bigint) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT prefix || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END $$`);
    await q.query(
      `ALTER TABLE orders ALTER COLUMN number SET DEFAULT document_number('SO-', nextval('order_number_seq'))`,
    );
    await q.query(
      `ALTER TABLE work_orders ALTER COLUMN number SET DEFAULT document_number('WO-', nextval('work_order_number_seq'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE orders ALTER COLUMN number SET DEFAULT ('SO-' || lpad(nextval('order_number_seq')::text, 6, '0'))`,
    );
    await q.query(
      `ALTER TABLE work_orders ALTER COLUMN number SET DEFAULT ('WO-' || lpad(nextval('work_order_number_seq')::text, 6, '0'))`,
    );
    await q.query(`DROP FUNCTION document_number(text, bigint)`);
  }
}
