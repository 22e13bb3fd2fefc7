import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { ContactErasure } from './contact-erasure.js';
import { ContactPersonalData } from './contact-personal-data.js';
import { PersonalDataContributors } from './personal-data-contributors.js';
import { PrivacyRequestsRepository, type PrivacyRequest } from './privacy-requests.repository.js';

/**
 * Data-subject requests (GDPR, Indonesia's UU PDP): a contact's data exported whole, erased,
 * and the audit of both. Only administrators act on them — the data crosses every owner's
 * and team's records — and every request, export included, leaves an audit row.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly data: ContactPersonalData,
    private readonly erasure: ContactErasure,
    private readonly contributors: PersonalDataContributors,
    private readonly requests: PrivacyRequestsRepository,
  ) {}

  exportContact(ctx: RequestContext, contactId: string) {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const contact = await this.data.contact(tx, contactId);
      const sections: Record<string, unknown> = {};
      for (const c of this.contributors.all())
        if (c.export) sections[c.section] = await c.export(tx, contactId);
      const document = {
        subject: { entity: 'contacts', id: contactId },
        generatedAt: new Date().toISOString(),
        contact,
        history: await this.data.history(tx, contactId),
        timeline: await this.data.timeline(tx, contactId),
        referringRecords: await this.data.referring(tx, contactId),
        sections,
        requests: await this.requests.ofSubject(tx, 'contacts', contactId),
      };
      await this.requests.add(tx, {
        kind: 'export',
        trigger: 'request',
        subjectEntity: 'contacts',
        subjectId: contactId,
        reason: null,
        summary: {
          history: document.history.length,
          timeline: document.timeline.length,
          referringRecords: document.referringRecords.reduce((n, r) => n + r.records.length, 0),
        },
      });
      return document;
    });
  }

  eraseContact(ctx: RequestContext, contactId: string, reason: string): Promise<PrivacyRequest> {
    this.permissions.requireAdmin(ctx.user);
    return this.erasure.erase(ctx, contactId, reason, 'request');
  }

  list(ctx: RequestContext, limit: number, cursor: string | null, subjectId: string | null) {
    this.permissions.requireAdmin(ctx.user);
    return this.requests.page(ctx, limit, cursor, subjectId);
  }
}
