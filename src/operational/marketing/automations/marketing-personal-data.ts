import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataContributors } from '#operational/privacy/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

/**
 * Marketing's part of a contact's export and erasure: preferences, the consent history,
 * hold-backs, the messages sent, campaign deliveries and automation runs. An erasure blanks
 * what identifies the person in messages and runs (address, subject, bodies, the event that
 * started a run) and keeps dates, statuses and counts, so campaign and automation figures
 * still add up. The consent history stays: it proves what the contact agreed to.
 */
@Injectable()
export class MarketingPersonalData implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly contributors: PersonalDataContributors,
  ) {}

  onModuleInit(): void {
    this.contributors.register({
      section: 'marketing',
      export: (tx, contactId) => this.export(tx, contactId),
      erase: (tx, contactId) => this.erase(tx, contactId),
    });
  }

  private async export(tx: RequestContext, contactId: string) {
    const q = (sql: string) => this.db.query(tx, sql, [contactId]);
    return {
      preferences: (await q(`SELECT * FROM contact_preferences WHERE contact_id = $1`))[0] ?? null,
      consents: await q(`SELECT * FROM consent_records WHERE contact_id = $1 ORDER BY id`),
      holdBacks: await q(`SELECT * FROM marketing_hold_backs WHERE contact_id = $1 ORDER BY id`),
      messages: await q(
        `SELECT id, source_key, channel, purpose, topic, to_address, subject, text_body, status,
                queued_at, sent_at, opened_at, open_count, clicked_at, click_count, bounced_at
           FROM outbound_messages WHERE contact_id = $1 ORDER BY id`,
      ),
      campaignDeliveries: await q(
        `SELECT * FROM campaign_deliveries WHERE contact_id = $1 ORDER BY campaign_id`,
      ),
      automationRuns: await q(
        `SELECT r.id, r.automation_id, r.event_type, r.status, r.started_at, r.finished_at,
                coalesce((SELECT jsonb_agg(s ORDER BY s.seq) FROM automation_run_steps s
                           WHERE s.run_id = r.id), '[]') AS steps
           FROM automation_runs r WHERE r.contact_id = $1 ORDER BY r.id`,
      ),
    };
  }

  private async erase(tx: RequestContext, contactId: string): Promise<number> {
    const messages = await this.db.query(
      tx,
      `UPDATE outbound_messages SET to_address = '', subject = NULL, html_body = NULL, text_body = '',
              links = '{}' WHERE contact_id = $1 RETURNING id`,
      [contactId],
    );
    const runs = await this.db.query(
      tx,
      `UPDATE automation_runs SET event = '{}' WHERE contact_id = $1 RETURNING id`,
      [contactId],
    );
    await this.db.query(
      tx,
      `UPDATE automation_run_steps s SET detail = '{}' FROM automation_runs r
        WHERE s.run_id = r.id AND r.contact_id = $1`,
      [contactId],
    );
    const prefs = await this.db.query(
      tx,
      `UPDATE contact_preferences SET time_zone = NULL, quiet_hours_start = NULL, quiet_hours_end = NULL
        WHERE contact_id = $1 RETURNING contact_id`,
      [contactId],
    );
    return messages.length + runs.length + prefs.length;
  }
}
