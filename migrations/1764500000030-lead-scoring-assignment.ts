import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lead scoring and assignment rules.
 *
 * - `teams.default_owner_id`: who takes a lead the rules cannot place. The foreign key points
 *   at the membership, so the default owner is always a member: removing them from the team
 *   clears it (ON DELETE SET NULL of that one column) instead of leaving a stale pointer.
 * - `leads.assignment_rule` / `assigned_via`: which rule placed the lead and how (a rule, the
 *   team's default owner, the creator, or the request naming an owner).
 * - `lead_assignment_turns`: one row per team whose members take turns. Assigning locks the
 *   row, so concurrent creates on any number of processes hand out turns one at a time.
 * - `lead_score_history`: one row per change of a lead's score, with the rules that matched.
 * - `leads_open_owner_idx`: counts of open leads per owner for least-loaded assignment.
 */
export class LeadScoringAssignment1764500000030 implements MigrationInterface {
  name = 'LeadScoringAssignment1764500000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE teams ADD COLUMN default_owner_id uuid`);
    await q.query(`
      ALTER TABLE teams ADD CONSTRAINT teams_default_owner_member_fkey
        FOREIGN KEY (id, default_owner_id) REFERENCES team_members (team_id, user_id)
        ON DELETE SET NULL (default_owner_id)`);

    await q.query(`ALTER TABLE leads ADD COLUMN assignment_rule text`);
    await q.query(`
      ALTER TABLE leads ADD COLUMN assigned_via text
        CHECK (assigned_via IN ('rule', 'default_owner', 'creator', 'request'))`);
    await q.query(`
      CREATE INDEX leads_open_owner_idx ON leads (owner_id)
        WHERE deleted_at IS NULL AND status IN ('new', 'working', 'nurturing', 'qualified')`);

    await q.query(`
      CREATE TABLE lead_assignment_turns (
        team_id uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
        last_user_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE lead_score_history (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
        score integer NOT NULL,
        previous_score integer NOT NULL,
        rules jsonb NOT NULL,
        reason text NOT NULL CHECK (reason IN ('change', 'activity', 'nightly')),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX lead_score_history_lead_idx ON lead_score_history (lead_id, at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead_score_history`);
    await q.query(`DROP TABLE lead_assignment_turns`);
    await q.query(`DROP INDEX leads_open_owner_idx`);
    await q.query(`ALTER TABLE leads DROP COLUMN assigned_via, DROP COLUMN assignment_rule`);
    await q.query(`ALTER TABLE teams DROP CONSTRAINT teams_default_owner_member_fkey`);
    await q.query(`ALTER TABLE teams DROP COLUMN default_owner_id`);
  }
}
