import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records of the objects an admin declares in crm.config.yaml (`objects:`). One table for all
 * of them, told apart by `object`, so declaring an object needs no schema change: its fields
 * live in custom_fields like every custom field, with expression indexes where asked.
 */
export class CustomObjectRecords1764100000002 implements MigrationInterface {
  name = 'CustomObjectRecords1764100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE custom_object_records (
        id uuid PRIMARY KEY,
        object text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES custom_object_records (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX custom_object_records_created_idx ON custom_object_records (object, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX custom_object_records_name_idx ON custom_object_records (object, name, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX custom_object_records_owner_idx ON custom_object_records (owner_id)`,
    );
    await q.query(`CREATE INDEX custom_object_records_team_idx ON custom_object_records (team_id)`);
    await q.query(
      `CREATE INDEX custom_object_records_search_idx ON custom_object_records USING gin (lower(name) gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE custom_object_records`);
  }
}
