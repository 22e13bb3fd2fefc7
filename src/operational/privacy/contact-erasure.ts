import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION, nameKey } from '#operational/customers/index.js';
import type { FieldChange } from '#platform/audit/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { ContactPersonalData } from './contact-personal-data.js';
import { PersonalDataContributors } from './personal-data-contributors.js';
import { CONTACT_ERASED } from './privacy.events.js';
import { TraceRedaction } from './trace-redaction.js';
import {
  PrivacyRequestsRepository,
  type PrivacyRequest,
  type PrivacyTrigger,
} from './privacy-requests.repository.js';

/** The last name an erased contact keeps: the column is required, and lists still need a label. */
export const ERASED_NAME = 'Erased';

/** What an erased contact's personal fields become; the rest (account, owner, stage, dates) stays for aggregates. */
const ERASED: Readonly<Record<string, unknown>> = {
  salutation: null,
  firstName: null,
  middleName: null,
  lastName: ERASED_NAME,
  email: null,
  otherEmails: [],
  phones: [],
  title: null,
  department: null,
  timeZone: null,
  description: null,
  customFields: {},
};

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

/**
 * Erases a contact's personal data in one transaction: the contact's personal fields are
 * blanked (the record, its account and everything pointing at it stay, so revenue, counts
 * and timelines still add up), the values in its change history and in its stored events
 * are removed (field names, actors and times stay), each module's contributor erases its
 * own part, and the erasure is audited and announced by `contact.erased`.
 */
@Injectable()
export class ContactErasure {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly outbox: EventOutbox,
    private readonly data: ContactPersonalData,
    private readonly contributors: PersonalDataContributors,
    private readonly requests: PrivacyRequestsRepository,
    private readonly traces: TraceRedaction,
  ) {}

  erase(
    ctx: RequestContext,
    contactId: string,
    reason: string | null,
    trigger: PrivacyTrigger,
  ): Promise<PrivacyRequest> {
    return this.db.transaction(ctx, async (tx) => {
      const contact = await this.data.contact(tx, contactId, true);
      const earlier = await this.requests.erasureOf(tx, 'contacts', contactId);
      if (earlier)
        throw new AppError('subject_already_erased', { erasedAt: earlier.at }, undefined, {
          erasedAt: earlier.at,
        });
      const summary: Record<string, number> = {
        contacts: 1,
        ...(await this.traces.redact(tx, 'contacts', [contactId])),
      };
      for (const c of this.contributors.all())
        if (c.erase) summary[c.section] = await c.erase(tx, contactId);
      await this.blank(tx, contact);
      const request = await this.requests.add(tx, {
        kind: 'erasure',
        trigger,
        subjectEntity: 'contacts',
        subjectId: contactId,
        reason,
        summary,
      });
      await this.outbox.append(tx, [
        CONTACT_ERASED.of(contactId, { requestId: request.id, trigger, erasedAt: request.at }),
      ]);
      return request;
    });
  }

  /** Blanks the personal fields; the history entry names them without their old values. */
  private async blank(tx: RequestContext, contact: ApiRecord): Promise<void> {
    const def = CONTACT_DEFINITION;
    await this.db.query(
      tx,
      `UPDATE ${def.table} SET salutation = NULL, first_name = NULL, middle_name = NULL,
              last_name = $2, email = NULL, other_emails = '{}', phones = '[]', title = NULL,
              department = NULL, time_zone = NULL, description = NULL, custom_fields = '{}',
              name_key = $3, email_keys = '{}', phone_keys = '{}',
              version = version + 1, updated_at = now(), updated_by_id = $4
        WHERE id = $1`,
      [contact.id, ERASED_NAME, nameKey(null, ERASED_NAME), tx.principal?.userId ?? null],
    );
    const changes: FieldChange[] = Object.entries(ERASED)
      .filter(([field, erased]) => !isEmpty(contact[field]) && contact[field] !== erased)
      .map(([field, erased]) => ({ field, old: null, new: erased }));
    await this.records.recordChange(tx, def, contact.id, changes, 'privacy.erasure');
  }
}
