import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account types and contact lifecycle stages become picklists an admin can extend in
 * crm.config.yaml, so their values are checked by the API against the config rather than by
 * fixed CHECK constraints. Removing a value still in use stops the start instead.
 */
export class ConfigurablePicklists1764100000001 implements MigrationInterface {
  name = 'ConfigurablePicklists1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_type_check`);
    await q.query(`ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_lifecycle_stage_check`);
    await q.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_type_present CHECK (length(type) > 0)`,
    );
    await q.query(
      `ALTER TABLE contacts ADD CONSTRAINT contacts_lifecycle_stage_present CHECK (length(lifecycle_stage) > 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_type_present`);
    await q.query(`ALTER TABLE contacts DROP CONSTRAINT contacts_lifecycle_stage_present`);
    await q.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_type_check CHECK (type IN ('customer', 'prospect', 'partner', 'competitor'))`,
    );
    await q.query(
      `ALTER TABLE contacts ADD CONSTRAINT contacts_lifecycle_stage_check CHECK (lifecycle_stage IN ('subscriber', 'lead', 'marketing_qualified', 'sales_qualified', 'opportunity', 'customer', 'evangelist', 'other'))`,
    );
  }
}
