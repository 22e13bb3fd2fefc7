import { Injectable, type OnModuleInit } from '@nestjs/common';
import { nameKey } from '#operational/customers/index.js';
import {
  ERASED_NAME,
  PersonalDataContributors,
  TraceRedaction,
} from '#operational/privacy/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

/**
 * The leads a contact was converted from hold the same person's name, e-mail and phone: an
 * erasure of the contact blanks them too, with their history and events. The company,
 * source, status and score stay, so conversion and campaign figures still add up. (They are
 * in the contact's export already, as records pointing at it.)
 */
@Injectable()
export class LeadPersonalData implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly contributors: PersonalDataContributors,
    private readonly traces: TraceRedaction,
  ) {}

  onModuleInit(): void {
    this.contributors.register({
      section: 'convertedLeads',
      erase: (tx, contactId) => this.erase(tx, contactId),
    });
  }

  private async erase(tx: RequestContext, contactId: string): Promise<number> {
    const leads = await this.db.query<{ id: string; company: string | null }>(
      tx,
      `SELECT id, company FROM leads WHERE converted_contact_id = $1 ORDER BY id FOR UPDATE`,
      [contactId],
    );
    if (leads.length === 0) return 0;
    const ids = leads.map((l) => l.id);
    await this.traces.redact(tx, 'leads', ids);
    await this.db.query(
      tx,
      `UPDATE leads l SET salutation = NULL, first_name = NULL, last_name = $3, email = NULL,
              phone = NULL, title = NULL, address = NULL, description = NULL,
              custom_fields = '{}', name_key = k.name_key, email_key = NULL,
              version = l.version + 1, updated_at = now(), updated_by_id = $4
         FROM unnest($1::uuid[], $2::text[]) AS k(id, name_key)
        WHERE l.id = k.id`,
      [
        ids,
        leads.map((l) => nameKey(null, ERASED_NAME, l.company)),
        ERASED_NAME,
        tx.principal?.userId ?? null,
      ],
    );
    return leads.length;
  }
}
