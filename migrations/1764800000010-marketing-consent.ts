import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHANNELS = `('email', 'sms', 'phone', 'whatsapp', 'post')`;
const LAWFUL_BASES = `('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interest')`;

/**
 * Contact preferences, the consent history, the marketing gate's hold-backs and the outbound
 * messages of the e-mail channel.
 *
 * - `contact_preferences`: one row per contact once anything was set (none: defaults). Channel
 *   states are jsonb `{ "email": "opted_out", … }`; quiet hours are local `HH:MM` times read in
 *   the row's time zone (else the contact's, else the organization's). `unsubscribed_at` stops
 *   all marketing until the contact takes it back; `email_bounced_at` marks the e-mail address
 *   as undeliverable. `version` is the ETag.
 * - `consent_records`: append-only history. A withdrawal is a new row pointing at the entry it
 *   withdraws (`withdraws_id`, unique, so an entry is withdrawn once); a trigger refuses
 *   UPDATE so no entry is ever rewritten. Rows go only with their contact (purge).
 * - `marketing_hold_backs`: every message the gate held back, with the reason.
 * - `outbound_messages`: one row per message, unique on `(source_key, contact_id)`, so the same
 *   logical message (a campaign's or automation step's mail to one contact) exists once; its
 *   `status` carries the send through a crash (see OutboundMessages).
 */
export class MarketingConsent1764800000010 implements MigrationInterface {
  name = 'MarketingConsent1764800000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_preferences (
        contact_id uuid PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
        channels jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(channels) = 'object'),
        topics text[] NOT NULL DEFAULT '{}',
        preferred_channel text CHECK (preferred_channel IN ${CHANNELS}),
        language text CHECK (language IN ('en', 'id')),
        time_zone text CHECK (length(time_zone) BETWEEN 1 AND 64),
        quiet_hours_start text CHECK (quiet_hours_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        quiet_hours_end text CHECK (quiet_hours_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        frequency_cap_count integer CHECK (frequency_cap_count BETWEEN 1 AND 1000),
        frequency_cap_period text CHECK (frequency_cap_period IN ('week', 'month')),
        unsubscribed_at timestamptz,
        email_bounced_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_id uuid,
        CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)),
        CHECK ((frequency_cap_count IS NULL) = (frequency_cap_period IS NULL))
      )`);

    await q.query(`
      CREATE TABLE consent_records (
        id uuid PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('given', 'withdrawn')),
        purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{0,49}$'),
        lawful_basis text NOT NULL CHECK (lawful_basis IN ${LAWFUL_BASES}),
        channel text CHECK (channel IN ${CHANNELS}),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
        proof_text text CHECK (length(proof_text) <= 4000),
        proof_url text CHECK (length(proof_url) <= 2000),
        effective_at timestamptz NOT NULL,
        withdraws_id uuid UNIQUE REFERENCES consent_records (id) ON DELETE CASCADE,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by_id uuid,
        CHECK ((action = 'withdrawn') = (withdraws_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX consent_records_contact_idx ON consent_records (contact_id, purpose, id)`,
    );
    await q.query(`
      CREATE FUNCTION consent_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'consent history is append-only; withdraw with a new entry';
      END $$`);
    await q.query(`
      CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
        FOR EACH ROW EXECUTE FUNCTION consent_records_append_only()`);

    await q.query(`
      CREATE TABLE marketing_hold_backs (
        id uuid PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ${CHANNELS}),
        topic text,
        purpose text NOT NULL,
        reason text NOT NULL,
        next_allowed_at timestamptz,
        source_key text,
        checked_for timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX marketing_hold_backs_contact_idx ON marketing_hold_backs (contact_id, id)`,
    );
    await q.query(`CREATE INDEX marketing_hold_backs_id_idx ON marketing_hold_backs (id)`);

    await q.query(`
      CREATE TABLE outbound_messages (
        id uuid PRIMARY KEY,
        source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ${CHANNELS}),
        purpose text NOT NULL,
        topic text,
        template_id uuid,
        to_address text NOT NULL,
        subject text,
        html_body text,
        text_body text NOT NULL,
        links text[] NOT NULL DEFAULT '{}',
        header_message_id text NOT NULL,
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'sending', 'sent', 'unconfirmed', 'held', 'failed', 'bounced')),
        attempts integer NOT NULL DEFAULT 0,
        not_before timestamptz NOT NULL DEFAULT now(),
        sending_by text,
        last_error text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        sending_at timestamptz,
        sent_at timestamptz,
        opened_at timestamptz,
        open_count integer NOT NULL DEFAULT 0,
        clicked_at timestamptz,
        click_count integer NOT NULL DEFAULT 0,
        bounced_at timestamptz,
        UNIQUE (source_key, contact_id)
      )`);
    await q.query(
      `CREATE INDEX outbound_messages_due_idx ON outbound_messages (not_before, id) WHERE status = 'queued'`,
    );
    await q.query(
      `CREATE INDEX outbound_messages_contact_idx ON outbound_messages (contact_id, sending_at)`,
    );
    await q.query(
      `CREATE INDEX outbound_messages_sending_idx ON outbound_messages (sending_at) WHERE status IN ('sending', 'sent')`,
    );
    await q.query(
      `CREATE INDEX outbound_messages_header_idx ON outbound_messages (header_message_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbound_messages`);
    await q.query(`DROP TABLE marketing_hold_backs`);
    await q.query(`DROP TABLE consent_records`);
    await q.query(`DROP FUNCTION consent_records_append_only() CASCADE`);
    await q.query(`DROP TABLE contact_preferences`);
  }
}
