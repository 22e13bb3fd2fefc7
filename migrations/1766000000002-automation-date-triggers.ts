import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automations a date starts: `automations.date_trigger` says which contact date and how many
 * days from it (`contact.date_reached`) or that its day comes round each year
 * (`contact.birthday`); `contacts.birthdate` is the date a birthday reads by default.
 * A date-started run keeps the day it was started for in `event.occurrence`, which the entry
 * policy's period is measured in.
 */
export class AutomationDateTriggers1766000000002 implements MigrationInterface {
  name = 'AutomationDateTriggers1766000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contacts ADD COLUMN birthdate date`);
    await q.query(`ALTER TABLE automations ADD COLUMN date_trigger jsonb`);
    await q.query(
      `CREATE INDEX automation_runs_occurrence_idx ON automation_runs (automation_id, contact_id, ((event->>'occurrence')))
        WHERE event ? 'occurrence'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX automation_runs_occurrence_idx`);
    await q.query(`ALTER TABLE automations DROP COLUMN date_trigger`);
    await q.query(`ALTER TABLE contacts DROP COLUMN birthdate`);
  }
}
