import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pipeline board reads running totals instead of scanning every opportunity. A trigger
 * appends a signed row (count, amount, amount × probability) for the old and the new state of
 * each change — any write path, the API, imports, merges or SQL, keeps them right — and a
 * scheduled job folds the rows into one per (pipeline, stage, currency, owner, team). Rows are
 * only ever appended or folded, so concurrent writers never wait on each other here. The
 * owner and team columns let the board apply the caller's scope exactly as a list does.
 */
export class OpportunityBoardDeltas1764500000002 implements MigrationInterface {
  name = 'OpportunityBoardDeltas1764500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opportunity_board_deltas (
        pipeline text NOT NULL,
        stage text NOT NULL,
        currency char(3),
        owner_id uuid NOT NULL,
        team_id uuid,
        n integer NOT NULL,
        amount numeric NOT NULL,
        weighted numeric NOT NULL
      )`);
    await q.query(
      `CREATE INDEX opportunity_board_deltas_pipeline_idx ON opportunity_board_deltas (pipeline)`,
    );
    await q.query(`
      CREATE FUNCTION opportunity_board_delta() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
          INSERT INTO opportunity_board_deltas
          VALUES (OLD.pipeline, OLD.stage, OLD.amount_currency, OLD.owner_id, OLD.team_id, -1,
                  -coalesce(OLD.amount_amount, 0), -coalesce(OLD.amount_amount * OLD.probability, 0));
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
          INSERT INTO opportunity_board_deltas
          VALUES (NEW.pipeline, NEW.stage, NEW.amount_currency, NEW.owner_id, NEW.team_id, 1,
                  coalesce(NEW.amount_amount, 0), coalesce(NEW.amount_amount * NEW.probability, 0));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER opportunity_board_insert AFTER INSERT ON opportunities
         FOR EACH ROW EXECUTE FUNCTION opportunity_board_delta()`,
    );
    await q.query(
      `CREATE TRIGGER opportunity_board_delete AFTER DELETE ON opportunities
         FOR EACH ROW EXECUTE FUNCTION opportunity_board_delta()`,
    );
    await q.query(
      `CREATE TRIGGER opportunity_board_update AFTER UPDATE ON opportunities
         FOR EACH ROW
         WHEN ((OLD.pipeline, OLD.stage, OLD.amount_currency, OLD.owner_id, OLD.team_id,
                OLD.amount_amount, OLD.probability, OLD.deleted_at IS NULL)
               IS DISTINCT FROM
               (NEW.pipeline, NEW.stage, NEW.amount_currency, NEW.owner_id, NEW.team_id,
                NEW.amount_amount, NEW.probability, NEW.deleted_at IS NULL))
         EXECUTE FUNCTION opportunity_board_delta()`,
    );
    await q.query(
      `INSERT INTO opportunity_board_deltas
       SELECT pipeline, stage, amount_currency, owner_id, team_id, count(*),
              coalesce(sum(amount_amount), 0), coalesce(sum(amount_amount * probability), 0)
         FROM opportunities WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER opportunity_board_update ON opportunities`);
    await q.query(`DROP TRIGGER opportunity_board_delete ON opportunities`);
    await q.query(`DROP TRIGGER opportunity_board_insert ON opportunities`);
    await q.query(`DROP FUNCTION opportunity_board_delta()`);
    await q.query(`DROP TABLE opportunity_board_deltas`);
  }
}
