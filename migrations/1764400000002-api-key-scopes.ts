import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API key may be limited to named scopes (e.g. `lead-capture` for a web form that can
 * create leads and nothing else). NULL keeps a key's full access, as before.
 */
export class ApiKeyScopes1764400000002 implements MigrationInterface {
  name = 'ApiKeyScopes1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN scopes text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN scopes`);
  }
}
