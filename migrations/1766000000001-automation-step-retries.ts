import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A step of an automation run can be `retrying`: a webhook step whose receiver has not taken
 * the POST yet keeps its attempts on its step row until it succeeds or gives up.
 */
export class AutomationStepRetries1766000000001 implements MigrationInterface {
  name = 'AutomationStepRetries1766000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE automation_run_steps DROP CONSTRAINT automation_run_steps_outcome_check`,
    );
    await q.query(`ALTER TABLE automation_run_steps ADD CONSTRAINT automation_run_steps_outcome_check
      CHECK (outcome IN ('done', 'waiting', 'held', 'skipped', 'failed', 'retrying'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE automation_run_steps SET outcome = 'failed' WHERE outcome = 'retrying'`);
    await q.query(
      `ALTER TABLE automation_run_steps DROP CONSTRAINT automation_run_steps_outcome_check`,
    );
    await q.query(`ALTER TABLE automation_run_steps ADD CONSTRAINT automation_run_steps_outcome_check
      CHECK (outcome IN ('done', 'waiting', 'held', 'skipped', 'failed'))`);
  }
}
