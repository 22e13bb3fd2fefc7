import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer satisfaction surveys, one per case: made when the case is resolved, with whom it
 * was resolved by (agent, queue) kept for the report. `status` says what became of the
 * invitation: `sent` (queued through the marketing gate), `held` (the gate held it back;
 * `hold_reason` says why, so the survey is recorded rather than lost) or `answered` (a score
 * of 1 to 5 and an optional comment, once). The link's token is signed; only the survey id
 * travels in it.
 */
export class CaseSatisfaction1765100000002 implements MigrationInterface {
  name = 'CaseSatisfaction1765100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_csat_surveys (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts (id),
        agent_id uuid REFERENCES users (id),
        queue_id uuid REFERENCES queues (id),
        status text NOT NULL CHECK (status IN ('sent', 'held', 'answered')),
        hold_reason text,
        resolved_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        score smallint CHECK (score BETWEEN 1 AND 5),
        comment text CHECK (length(comment) <= 5000),
        answered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'answered') = (score IS NOT NULL AND answered_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX case_csat_surveys_answered_idx ON case_csat_surveys (answered_at) WHERE answered_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_csat_surveys`);
  }
}
