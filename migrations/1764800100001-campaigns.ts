import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Marketing runs campaigns; sellers and analysts read them (sources of their leads). */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  marketing: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('team', 'all', 'team', 'team'),
  sales_rep: grant('none', 'all', 'none', 'none'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Campaigns, their costs, members, responses and what they are credited with.
 *
 * - `campaigns`: status planned → approved → active → completed / aborted, moved by the
 *   service's actions; `approval_required` follows the budget and the configured threshold
 *   of its currency. A parent campaign nests programmes (no cycles, checked by the service).
 * - `campaign_costs`: planned and actual costs in the campaign's currency.
 * - `campaign_members`: contacts the campaign reaches, with their status and its history in
 *   `campaign_member_events`.
 * - `campaign_responses`: answers to the campaign, by a contact or as a new lead.
 * - `campaign_attributions`: opportunities and orders credited to a campaign.
 */
export class Campaigns1764800100001 implements MigrationInterface {
  name = 'Campaigns1764800100001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 5000),
        type text NOT NULL CHECK (type IN ('email', 'event', 'webinar', 'telemarketing', 'ads', 'direct_mail')),
        status text NOT NULL DEFAULT 'planned'
          CHECK (status IN ('planned', 'approved', 'active', 'completed', 'aborted')),
        channel text CHECK (length(channel) <= 100),
        starts_on date,
        ends_on date,
        budget_amount numeric CHECK (budget_amount >= 0),
        budget_currency char(3),
        expected_revenue_amount numeric CHECK (expected_revenue_amount >= 0),
        expected_revenue_currency char(3),
        parent_campaign_id uuid REFERENCES campaigns (id),
        approval_required boolean NOT NULL DEFAULT false,
        approved_at timestamptz,
        approved_by_id uuid REFERENCES users (id),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES campaigns (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((budget_amount IS NULL) = (budget_currency IS NULL)),
        CHECK ((expected_revenue_amount IS NULL) = (expected_revenue_currency IS NULL)),
        CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
      )`);
    await q.query(`
      CREATE TABLE campaign_costs (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('planned', 'actual')),
        category text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
        amount numeric NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL,
        incurred_on date NOT NULL,
        description text CHECK (length(description) <= 2000),
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE campaign_members (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'targeted',
        source_segment_id uuid REFERENCES segments (id) ON DELETE SET NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, contact_id)
      )`);
    await q.query(`
      CREATE TABLE campaign_member_events (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        changed_by_id uuid,
        FOREIGN KEY (campaign_id, contact_id) REFERENCES campaign_members (campaign_id, contact_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE campaign_responses (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        contact_id uuid REFERENCES contacts (id),
        lead_id uuid REFERENCES leads (id),
        responded_at timestamptz NOT NULL DEFAULT now(),
        note text CHECK (length(note) <= 2000),
        created_by_id uuid,
        CHECK ((contact_id IS NULL) <> (lead_id IS NULL))
      )`);
    await q.query(`
      CREATE TABLE campaign_attributions (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        entity text NOT NULL CHECK (entity IN ('opportunities', 'orders')),
        record_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('response', 'explicit')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, entity, record_id)
      )`);
    await q.query(
      `CREATE INDEX campaigns_created_idx ON campaigns (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX campaigns_parent_idx ON campaigns (parent_campaign_id)`);
    await q.query(`CREATE INDEX campaigns_owner_idx ON campaigns (owner_id)`);
    await q.query(`CREATE INDEX campaigns_team_idx ON campaigns (team_id)`);
    await q.query(
      `CREATE INDEX campaign_costs_campaign_idx ON campaign_costs (campaign_id, incurred_on)`,
    );
    await q.query(
      `CREATE INDEX campaign_members_status_idx ON campaign_members (campaign_id, status)`,
    );
    await q.query(`CREATE INDEX campaign_members_contact_idx ON campaign_members (contact_id)`);
    await q.query(
      `CREATE INDEX campaign_member_events_idx ON campaign_member_events (campaign_id, contact_id, changed_at)`,
    );
    await q.query(
      `CREATE INDEX campaign_responses_campaign_idx ON campaign_responses (campaign_id)`,
    );
    await q.query(`CREATE INDEX campaign_responses_lead_idx ON campaign_responses (lead_id)`);
    await q.query(
      `CREATE INDEX campaign_attributions_record_idx ON campaign_attributions (record_id)`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,campaigns}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'campaigns')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'campaigns') WHERE built_in`,
    );
    await q.query(`DROP TABLE campaign_attributions`);
    await q.query(`DROP TABLE campaign_responses`);
    await q.query(`DROP TABLE campaign_member_events`);
    await q.query(`DROP TABLE campaign_members`);
    await q.query(`DROP TABLE campaign_costs`);
    await q.query(`DROP TABLE campaigns`);
  }
}
