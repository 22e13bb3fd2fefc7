import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CSV imports. An upload is parsed as it streams and copied (COPY) into `import_rows`, one
 * row per CSV record, in the same transaction that creates the `imports` row and enqueues
 * its job; nothing of a file is kept in the server's memory or on its disk, so any worker
 * process can run the import. The job works through the staged rows in batches, each batch
 * one transaction that writes the records, their history, the row errors, the counters and
 * `next_row`, and removes the batch's staged rows (failed ones stay, for the errors CSV):
 * after a crash the import resumes at `next_row` with nothing written twice.
 */
export class CsvImports1764300000000 implements MigrationInterface {
  name = 'CsvImports1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        entity text NOT NULL,
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
        duplicates text NOT NULL CHECK (duplicates IN ('skip', 'update', 'create')),
        mapping jsonb,
        columns text[] NOT NULL,
        file_name text,
        file_bytes bigint NOT NULL,
        -- SHA-256 of file, entity, mapping and mode: a repeated Idempotency-Key must match it.
        fingerprint text NOT NULL,
        total integer NOT NULL DEFAULT 0,
        processed integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        next_row integer NOT NULL DEFAULT 1,
        error text,
        idempotency_key text,
        owner_id uuid NOT NULL REFERENCES users (id),
        job_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX imports_idempotency_key ON imports (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX imports_owner_idx ON imports (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX imports_created_idx ON imports (created_at, id)`);

    // Staging: no foreign key, so COPY runs at full speed; rows go with their import.
    await q.query(`
      CREATE TABLE import_rows (
        import_id uuid NOT NULL,
        row_number integer NOT NULL,
        line integer NOT NULL,
        cells json NOT NULL,
        PRIMARY KEY (import_id, row_number)
      )`);

    await q.query(`
      CREATE TABLE import_errors (
        id uuid PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        row_number integer NOT NULL,
        line integer NOT NULL,
        column_name text,
        field text,
        code text NOT NULL,
        message text NOT NULL,
        params jsonb,
        value text
      )`);
    await q.query(
      `CREATE INDEX import_errors_row_idx ON import_errors (import_id, row_number, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_errors`);
    await q.query(`DROP TABLE import_rows`);
    await q.query(`DROP TABLE imports`);
  }
}
