import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit of data-subject requests: every export and erasure of a person's data, by whom,
 * why and what it touched. A row holds the subject's id but none of their personal data, so
 * it may outlive the erasure it records. One erasure per subject: the partial unique index
 * makes a second one a conflict even when two arrive at once.
 */
export class PrivacyRequests1764750000000 implements MigrationInterface {
  name = 'PrivacyRequests1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('export', 'erasure')),
        trigger text NOT NULL CHECK (trigger IN ('request', 'retention')),
        subject_entity text NOT NULL,
        subject_id uuid NOT NULL,
        actor_id uuid REFERENCES users (id),
        reason text CHECK (length(reason) <= 1000),
        summary jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX privacy_requests_one_erasure ON privacy_requests (subject_entity, subject_id) WHERE kind = 'erasure'`,
    );
    await q.query(
      `CREATE INDEX privacy_requests_subject_idx ON privacy_requests (subject_entity, subject_id, at)`,
    );
    await q.query(`CREATE INDEX privacy_requests_at_idx ON privacy_requests (at DESC, id DESC)`);
    // The retention run looks for contacts untouched since a cutoff.
    await q.query(`CREATE INDEX contacts_updated_idx ON contacts (updated_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contacts_updated_idx`);
    await q.query(`DROP TABLE privacy_requests`);
  }
}
