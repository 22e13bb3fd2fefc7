import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One live order per quote, held by the database and not only by the lock of
 * `POST /quotes/{id}/order`. Before, `POST /orders` took any `quoteId`, so a database may hold
 * several live orders naming one quote: the first placed keeps it; the others lose the
 * reference and say in their notes which quote they named and which order kept it, so
 * nothing is lost without a word.
 */
export class OrderPerQuote1764700300001 implements MigrationInterface {
  name = 'OrderPerQuote1764700300001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH ranked AS (
        SELECT id, quote_id,
               first_value(number) OVER w AS kept_by,
               row_number() OVER w AS n
          FROM orders
         WHERE quote_id IS NOT NULL AND deleted_at IS NULL
        WINDOW w AS (PARTITION BY quote_id ORDER BY ordered_at, created_at, id)
      )
      UPDATE orders o
         SET quote_id = NULL,
             notes = left(concat_ws(E'\\n\\n', o.notes,
                       'Placed naming quote ' || r.quote_id || ', whose order is ' || r.kept_by || '.'), 5000),
             version = o.version + 1,
             updated_at = now()
        FROM ranked r
       WHERE r.id = o.id AND r.n > 1`);
    await q.query(`DROP INDEX orders_quote_idx`);
    await q.query(
      `CREATE UNIQUE INDEX orders_quote_key ON orders (quote_id) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_quote_key`);
    await q.query(`CREATE INDEX orders_quote_idx ON orders (quote_id)`);
  }
}
