import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Marketing writes templates; sellers and agents read them (what their customers were sent). */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  marketing: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('none', 'all', 'none', 'none'),
  sales_rep: grant('none', 'all', 'none', 'none'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Message templates and the sending of e-mail campaigns.
 *
 * - `message_templates`: one text per channel and language; the variants of one message share
 *   a `key`, so a contact gets the variant in their language (at most one live per key,
 *   channel and language).
 * - `campaigns.template_id`: what an e-mail campaign sends.
 * - `campaign_deliveries`: one row per member a send reached, with what the gate and the
 *   dispatch said; a member with a row is never picked up again, so a send resumes where a
 *   stopped process left it.
 */
export class MessageTemplates1765200000001 implements MigrationInterface {
  name = 'MessageTemplates1765200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_templates (
        id uuid PRIMARY KEY,
        key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        channel text NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp')),
        language text NOT NULL CHECK (language IN ('en', 'id')),
        format text NOT NULL CHECK (format IN ('mjml', 'html', 'text')),
        subject text CHECK (length(subject) <= 500),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        on_missing_field text NOT NULL DEFAULT 'blank' CHECK (on_missing_field IN ('blank', 'skip')),
        merge_fields text[] NOT NULL DEFAULT '{}',
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES message_templates (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX message_templates_variant_uq ON message_templates (key, channel, language)
        WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX message_templates_created_idx ON message_templates (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX message_templates_owner_idx ON message_templates (owner_id)`);
    await q.query(`CREATE INDEX message_templates_team_idx ON message_templates (team_id)`);
    await q.query(
      `ALTER TABLE campaigns ADD COLUMN template_id uuid REFERENCES message_templates (id)`,
    );
    await q.query(`CREATE INDEX campaigns_template_idx ON campaigns (template_id)`);
    await q.query(`
      CREATE TABLE campaign_deliveries (
        campaign_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('queued', 'duplicate', 'held', 'skipped')),
        reason text CHECK (length(reason) <= 500),
        message_id uuid,
        hold_back_id uuid,
        template_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, contact_id),
        FOREIGN KEY (campaign_id, contact_id) REFERENCES campaign_members (campaign_id, contact_id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX campaign_deliveries_contact_idx ON campaign_deliveries (contact_id)`,
    );
    await q.query(`ALTER TABLE campaigns ADD COLUMN send_requested_at timestamptz`);

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,message-templates}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'message-templates')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'message-templates') WHERE built_in`,
    );
    await q.query(`DROP TABLE campaign_deliveries`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN send_requested_at`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN template_id`);
    await q.query(`DROP TABLE message_templates`);
  }
}
