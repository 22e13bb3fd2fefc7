import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The most common contact list — one surname, newest first — read through one index in
 * order instead of sorting every match.
 */
export class ContactListIndexes1764100000003 implements MigrationInterface {
  name = 'ContactListIndexes1764100000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX contacts_last_name_created_idx ON contacts (last_name, created_at, id) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contacts_last_name_created_idx`);
  }
}
