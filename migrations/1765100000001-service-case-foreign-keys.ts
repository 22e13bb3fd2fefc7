import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `case_id` of knowledge-article links, calls and work orders gets its foreign key to cases,
 * now that all three tables and cases exist. Rows written before it may name a case that
 * never existed; they are settled first so the constraint can hold:
 * - an article's link to a missing case means nothing and is dropped;
 * - a call keeps its record and loses the dangling case reference;
 * - a work order does too when it has an account; one with neither would break the rule that
 *   a work order belongs to a case or an account, so the migration stops and names them
 *   (fix their `account_id`, then run it again).
 */
export class ServiceCaseForeignKeys1765100000001 implements MigrationInterface {
  name = 'ServiceCaseForeignKeys1765100000001';

  async up(q: QueryRunner): Promise<void> {
    const missing = (alias: string) =>
      `${alias}.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = ${alias}.case_id)`;
    const stuck = (await q.query(
      `SELECT id FROM work_orders w WHERE ${missing('w')} AND w.account_id IS NULL ORDER BY id LIMIT 20`,
    )) as { id: string }[];
    if (stuck.length)
      throw new Error(
        `work orders name a case that does not exist and have no account: ${stuck.map((r) => r.id).join(', ')}`,
      );
    await q.query(`DELETE FROM knowledge_article_cases k WHERE ${missing('k')}`);
    await q.query(`UPDATE calls cl SET case_id = NULL WHERE ${missing('cl')}`);
    await q.query(`UPDATE work_orders w SET case_id = NULL WHERE ${missing('w')}`);
    await q.query(
      `ALTER TABLE knowledge_article_cases ADD CONSTRAINT knowledge_article_cases_case_fk
         FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE calls ADD CONSTRAINT calls_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)`,
    );
    await q.query(
      `ALTER TABLE work_orders ADD CONSTRAINT work_orders_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders DROP CONSTRAINT work_orders_case_fk`);
    await q.query(`ALTER TABLE calls DROP CONSTRAINT calls_case_fk`);
    await q.query(
      `ALTER TABLE knowledge_article_cases DROP CONSTRAINT knowledge_article_cases_case_fk`,
    );
  }
}
